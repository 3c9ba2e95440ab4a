// Issue #3 journey: a request → accepted → admission into a DITEP with two modalities → a tutor
// gives a consent → it is withdrawn, on a tablet viewport, with an accessibility scan of every page.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./a11y');

function randomLetters(n) {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from({ length: n }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

/** Today plus `days`, as the value of an `<input type=date>`. */
function isoDate(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

test("une demande devient une admission en deux modalités, un tuteur consent puis retire son consentement", async ({ page }) => {
  const birthName = `ROUSSEL-${randomLetters(6)}`;

  await page.goto('/connexion');
  await page.getByLabel('Identifiant').fill('direction');
  await page.getByLabel('Mot de passe').fill('Parcours-Demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'À faire dans mes unités' })).toBeVisible();
  await expectAccessible(page, 'accueil avec le tableau de bord');

  // The young adult is known first (identity), in the DITEP.
  const nav = page.getByRole('navigation', { name: 'Navigation principale' });
  await nav.getByRole('link', { name: 'Nouvel usager' }).click();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Théo');
  await page.getByLabel('Prénoms de naissance').fill('Théo');
  await page.getByLabel('Sexe').selectOption({ label: 'Masculin' });
  await page.getByLabel('Date de naissance').fill('2006-04-12');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('69123');
  await page.getByLabel('Établissement et unité').selectOption({ label: 'DITEP Le Cap — SESSAD' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByText('Usager créé.')).toBeVisible();

  // The request, with the person's own words.
  const tabs = page.getByRole('navigation', { name: "Dossier de l'usager" });
  await tabs.getByRole('link', { name: 'Admission et séjours' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Admission et séjours' })).toBeVisible();
  await expectAccessible(page, 'admission et séjours (vide)');
  await page.getByRole('link', { name: "Nouvelle demande d'admission" }).click();
  await page.getByLabel(/^Établissement demandé/).selectOption({ label: 'DITEP Le Cap' });
  await page.getByLabel(/^Modalité d'accompagnement demandée/).selectOption({ label: 'Internat' });
  await page.getByLabel(/^Origine de la demande/).selectOption({ index: 1 });
  await page.getByLabel(/^Date de réception/).fill(isoDate(-20));
  await page.getByLabel('Attentes de la personne').fill("Je veux apprendre un métier et dormir au foyer la semaine.");
  await expectAccessible(page, 'nouvelle demande');
  await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
  await expect(page.getByText("Demande d'admission enregistrée.")).toBeVisible();
  await expect(page.getByText('Je veux apprendre un métier et dormir au foyer la semaine.')).toBeVisible();

  // Waiting list: en étude, then acceptée.
  for (const status of ['En étude', 'Acceptée']) {
    await page.getByRole('link', { name: 'Changer le statut de la demande' }).click();
    await page.getByLabel(/^Nouveau statut/).selectOption({ label: status });
    if (status === 'En étude') await expectAccessible(page, 'statut de la demande');
    await page.getByRole('button', { name: 'Enregistrer le statut' }).click();
    await expect(page.getByText('Statut de la demande mis à jour.')).toBeVisible();
  }

  // Admission into two modalities at once.
  await page.getByRole('link', { name: "Prononcer l'admission" }).click();
  const first = page.getByRole('group', { name: 'Première modalité' });
  await first.getByLabel('Unité').selectOption({ label: 'Internat' });
  await first.getByLabel(/^Modalité d'accompagnement/).selectOption({ label: 'Internat' });
  const second = page.getByRole('group', { name: 'Deuxième modalité (facultative)' });
  await second.getByLabel('Unité').selectOption({ label: 'SESSAD' });
  await second.getByLabel(/^Modalité d'accompagnement/).selectOption({ label: 'Ambulatoire / SESSAD en milieu ordinaire' });
  await page.getByLabel(/^Date d'entrée prévue/).fill(isoDate(0));
  await page.getByLabel(/^Date d'entrée effective/).fill(isoDate(0));
  await expectAccessible(page, 'admission');
  await page.getByRole('button', { name: "Prononcer l'admission" }).click();
  // The demo DITEP may be full: the direction confirms explicitly.
  const confirm = page.getByLabel("Je confirme l'admission au-delà de la capacité autorisée");
  if (await confirm.isVisible()) {
    await expectAccessible(page, 'confirmation de dépassement de capacité');
    await confirm.check();
    await page.getByRole('button', { name: "Prononcer l'admission" }).click();
  }
  await expect(page.getByText('Admission enregistrée : le ou les séjours sont créés.')).toBeVisible();
  const sejours = page.getByRole('region', { name: 'Séjours' });
  await expect(sejours.getByRole('heading', { name: /Internat : Internat/ })).toBeVisible();
  await expect(sejours.getByRole('heading', { name: /SESSAD : Ambulatoire \/ SESSAD en milieu ordinaire/ })).toBeVisible();
  await expectAccessible(page, 'admission et séjours (deux modalités)');

  // Entourage: the father becomes tutor under a tutelle.
  await tabs.getByRole('link', { name: 'Entourage et protection' }).click();
  await page.getByRole('link', { name: "Ajouter une personne de l'entourage" }).click();
  await page.getByLabel(/^Lien avec la personne/).selectOption({ label: 'Père' });
  await page.getByLabel(/^Nom/).first().fill(birthName);
  await page.getByLabel('Prénom', { exact: true }).fill('Marc');
  await page.getByLabel('Personne à prévenir').check();
  await expectAccessible(page, "ajout d'un proche");
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('Entourage mis à jour.')).toBeVisible();
  await page.getByRole('link', { name: 'Enregistrer une mesure' }).click();
  await page.getByLabel(/^Mesure/).selectOption({ label: 'Tutelle' });
  await page.getByLabel(/^Date de début/).fill(isoDate(-200));
  await page.getByLabel(/^Mandataire/).selectOption({ label: `Marc ${birthName} (Père)` });
  await expectAccessible(page, 'mesure de protection');
  await page.getByRole('button', { name: 'Enregistrer la mesure' }).click();
  await expect(page.getByText('Mesure de protection enregistrée.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Qui consent et signe pour la personne' })).toContainText('Marc');
  await expectAccessible(page, 'entourage et protection');

  // Consent: the person alone is refused, the tutor is accepted.
  await tabs.getByRole('link', { name: 'Consentements' }).click();
  await page.getByLabel(/^Finalité/).selectOption({ label: "Droit à l'image (photographies, vidéos)" });
  await page.getByLabel(/^Décision \(obligatoire\)$/).selectOption({ label: 'Donné' });
  await page.getByLabel(/^Décision exprimée par/).selectOption({ label: 'La personne elle-même' });
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  const signatory = page.getByLabel(/^Décision exprimée par/);
  await expect(signatory).toHaveAttribute('aria-invalid', 'true');
  await expect(signatory).toHaveAccessibleDescription(/ne peut pas signer seule/);
  await expectAccessible(page, 'consentement refusé faute de qualité');
  await signatory.selectOption({ label: `Marc ${birthName} (Père)` });
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await expect(page.getByText('Décision de consentement enregistrée.')).toBeVisible();
  const image = page.getByRole('row', { name: /Droit à l'image/ });
  await expect(image).toContainText('Consentement valide');

  // Withdrawal: the history keeps both decisions.
  await page.getByLabel(/^Finalité/).selectOption({ label: "Droit à l'image (photographies, vidéos)" });
  await page.getByLabel(/^Décision \(obligatoire\)$/).selectOption({ label: 'Retiré' });
  await page.getByLabel(/^Décision exprimée par/).selectOption({ label: `Marc ${birthName} (Père)` });
  await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await expect(page.getByText('Décision de consentement enregistrée.')).toBeVisible();
  await expect(image).not.toContainText('Consentement valide');
  await image.getByText('2 décision(s)').click();
  await expect(image).toContainText('Retiré le');
  await expect(image).toContainText('Donné le');
  await expectAccessible(page, 'consentements après retrait');

  // The establishment's pages.
  await nav.getByRole('link', { name: 'Établissements' }).click();
  await page.getByRole('link', { name: "Liste d'attente — DITEP Le Cap" }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Liste d'attente — DITEP Le Cap" })).toBeVisible();
  await expectAccessible(page, "liste d'attente");
  await page.getByRole('link', { name: "Voir l'occupation" }).click();
  await expect(page.getByText(/places occupées sur une capacité/)).toBeVisible();
  await expectAccessible(page, 'occupation');
});
