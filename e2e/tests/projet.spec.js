// Issue #4 journey: evaluate needs → write a projet personnalisé with two objectives → sign → bilan,
// on a tablet viewport, with an accessibility scan of every page.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./a11y');

function randomLetters(n) {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from({ length: n }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

function isoDate(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toISOString().slice(0, 10);
}

test('évaluer les besoins, écrire un projet à deux objectifs, le signer puis en faire le bilan', async ({ page }) => {
  const birthName = `FABRE-${randomLetters(6)}`;
  await page.goto('/connexion');
  await page.getByLabel('Identifiant').fill('direction');
  await page.getByLabel('Mot de passe').fill('Parcours-Demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'Navigation principale' });
  await nav.getByRole('link', { name: 'Nouvel usager' }).click();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Louise');
  await page.getByLabel('Prénoms de naissance').fill('Louise');
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.getByLabel('Date de naissance').fill('1941-05-17');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('13055');
  await page.getByLabel('Établissement et unité').selectOption({ label: 'EHPAD Les Tilleuls — Les Glycines' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByText('Usager créé.')).toBeVisible();
  const tabs = page.getByRole('navigation', { name: "Dossier de l'usager" });

  // 1. Needs evaluation (SERAFIN-PH).
  await tabs.getByRole('link', { name: 'Évaluations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Évaluations' })).toBeVisible();
  await expectAccessible(page, 'évaluations (vide)');
  await page.getByRole('link', { name: 'Nouvelle évaluation des besoins' }).click();
  const first = page.getByRole('group', { name: 'Besoin 1' });
  await first.getByLabel('Besoin', { exact: true }).selectOption('1.3.4.1');
  await first.getByLabel('Niveau').selectOption({ label: 'Important' });
  await first.getByLabel('Commentaire').fill('Ne sort plus depuis son veuvage');
  const second = page.getByRole('group', { name: 'Besoin 2' });
  await second.getByLabel('Besoin', { exact: true }).selectOption('1.2.1.3');
  await second.getByLabel('Niveau').selectOption({ label: 'Modéré' });
  await expectAccessible(page, 'évaluation des besoins');
  await page.getByRole('button', { name: "Enregistrer l'évaluation" }).click();
  await expect(page.getByText('Évaluation des besoins enregistrée.')).toBeVisible();
  await expect(page.getByText('Ne sort plus depuis son veuvage')).toBeVisible();

  // 2. The projet: her words first, the needs from the evaluation, two objectives with their actions.
  await tabs.getByRole('link', { name: 'Projet personnalisé' }).click();
  await page.getByLabel(/^Établissement/).selectOption({ label: 'EHPAD Les Tilleuls' });
  await page.getByLabel(/^Type de projet/).selectOption('PPA');
  await expectAccessible(page, 'projets');
  await page.getByRole('button', { name: 'Commencer le projet' }).click();
  await expect(page.getByText("Projet créé : recueillez d'abord les attentes de la personne.")).toBeVisible();

  await page.getByRole('link', { name: 'Ajouter une attente' }).click();
  await page.getByLabel(/^Ce que la personne souhaite/).fill('Je voudrais retourner au marché le samedi, comme avant.');
  await page.getByLabel(/^Exprimé par/).selectOption({ label: 'La personne elle-même' });
  await expectAccessible(page, 'ajout d\'une attente');
  await page.getByRole('button', { name: 'Ajouter' }).click();
  await expect(page.getByText('Je voudrais retourner au marché le samedi, comme avant.', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Reprendre les besoins de la dernière évaluation' }).click();
  await expect(page.getByText('Besoins de la dernière évaluation ajoutés.')).toBeVisible();
  const besoins = page.getByRole('region', { name: 'Les besoins (SERAFIN-PH)' });
  await expect(besoins.getByText('1.3.4.1', { exact: true })).toBeVisible();
  await expect(besoins.getByText('1.2.1.3', { exact: true })).toBeVisible();

  const objectives = [
    { titre: 'Aller au marché chaque samedi', need: /^1\.3\.4\.1 / },
    { titre: 'Marcher jusqu\'au jardin sans aide', need: /^1\.2\.1\.3 / },
  ];
  for (const o of objectives) {
    await page.getByRole('link', { name: 'Ajouter un objectif' }).click();
    await page.getByLabel(/^Objectif/).fill(o.titre);
    await page.getByRole('group', { name: /Besoins auxquels il répond/ }).getByLabel(o.need).check();
    await page.getByLabel(/^Échéance/).fill(isoDate(200));
    await page.getByLabel(/^Résultat attendu/).fill('Réalisé seule ou avec un accompagnant');
    await page.getByLabel('Référent').fill('Karim Haddad');
    if (o === objectives[0]) await expectAccessible(page, "ajout d'un objectif");
    await page.getByRole('button', { name: 'Ajouter' }).click();
    await expect(page.getByRole('heading', { level: 3, name: o.titre })).toBeVisible();

    await page.getByRole('link', { name: 'Ajouter une action' }).click();
    await page.getByLabel(/^Action/).fill(`Accompagnement : ${o.titre}`);
    await page.getByRole('group', { name: /Objectifs servis/ }).getByLabel(o.titre).check();
    await page.getByLabel('Prestations SERAFIN-PH').selectOption('2.2.1');
    if (o === objectives[0]) await expectAccessible(page, "ajout d'une action");
    await page.getByRole('button', { name: 'Ajouter' }).click();
    await expect(page.getByText(`Accompagnement : ${o.titre}`, { exact: true })).toBeVisible();
  }
  await page.getByRole('link', { name: 'Ajouter un participant' }).click();
  await page.getByLabel(/^Nom/).fill(`Louise ${birthName}`);
  await page.getByLabel(/^Rôle/).selectOption({ label: 'La personne' });
  await page.getByLabel('Contribution').fill('A choisi ses deux objectifs');
  await page.getByRole('button', { name: 'Ajouter' }).click();
  await expectAccessible(page, 'projet en préparation');

  // 3. Starting without the structure's accord is refused; then both sign and it starts.
  await page.getByLabel('Nouveau statut').selectOption({ label: 'En cours' });
  await page.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(page.getByLabel('Nouveau statut')).toHaveAccessibleDescription(/accord signé/);
  await page.getByRole('button', { name: "Signer pour l'établissement" }).click();
  await expect(page.getByText('Accord enregistré.')).toBeVisible();
  await page.getByLabel('Accord donné par').selectOption({ label: 'La personne elle-même' });
  await page.getByRole('button', { name: "Enregistrer l'accord de la personne" }).click();
  await expect(page.getByText('Accord enregistré.')).toBeVisible();
  await page.getByLabel('Nouveau statut').selectOption({ label: 'En cours' });
  await page.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(page.getByText('Statut du projet mis à jour.')).toBeVisible();
  await expect(page.getByText('En cours', { exact: true }).first()).toBeVisible();
  await expectAccessible(page, 'projet en cours');

  // The document for the person opens as a PDF.
  const pdf = await page.request.get(await page.getByRole('link', { name: 'Document PDF pour la personne' }).getAttribute('href'));
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');

  // 4. Bilan: each objective assessed, the next one within twelve months.
  await page.getByRole('link', { name: 'Faire le bilan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bilan du projet personnalisé' })).toBeVisible();
  await page.getByRole('group', { name: objectives[0].titre }).getByLabel('Résultat').selectOption({ label: 'Atteint' });
  await page.getByRole('group', { name: objectives[1].titre }).getByLabel('Résultat').selectOption({ label: 'Partiellement atteint' });
  await page.getByRole('group', { name: objectives[1].titre }).getByLabel('Commentaire').fill('Avec le déambulateur');
  await page.getByLabel(/^Synthèse/).fill('Mme a retrouvé le plaisir de sortir.');
  await page.getByLabel(/^Date du prochain bilan/).fill(isoDate(500));
  await page.getByRole('button', { name: 'Enregistrer le bilan' }).click();
  const next = page.getByLabel(/^Date du prochain bilan/);
  await expect(next).toHaveAttribute('aria-invalid', 'true');
  await expect(next).toHaveAccessibleDescription(/douze mois/);
  await expectAccessible(page, 'bilan avec erreur');
  await next.fill(isoDate(300));
  await page.getByRole('button', { name: 'Enregistrer le bilan' }).click();
  await expect(page.getByText('Bilan enregistré.')).toBeVisible();
  await expect(page.getByText('Avec le déambulateur')).toBeVisible();
  await expectAccessible(page, 'projet avec bilan');
});
