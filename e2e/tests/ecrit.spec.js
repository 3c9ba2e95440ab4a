// Écrits professionnels: a psychologue writes a note for her profession only, which the éducateur does
// not see; a team note is seen by both; the psychologue corrects it and both versions stay readable;
// with accessibility scans of each page.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./a11y');

function randomLetters(n) {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from({ length: n }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

async function login(page, who) {
  await page.goto('/connexion');
  await page.getByLabel('Identifiant').fill(who);
  await page.getByLabel('Mot de passe').fill('Parcours-Demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
}

async function logout(page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
}

async function openEcrits(page, url) {
  await page.goto(url);
  await page.getByRole('navigation', { name: "Dossier de l'usager" }).getByRole('link', { name: 'Écrits professionnels' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Écrits professionnels' })).toBeVisible();
}

async function writeNote(page, { kind, title, text, scope }) {
  await page.getByRole('link', { name: 'Rédiger un écrit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rédiger un écrit professionnel' })).toBeVisible();
  await page.getByRole('combobox', { name: /^Type d'écrit/ }).selectOption({ label: kind });
  await page.getByRole('textbox', { name: /^Titre/ }).fill(title);
  await page.getByRole('textbox', { name: /^Contenu/ }).fill(text);
  await page.getByRole('radio', { name: scope }).check();
  await page.getByRole('button', { name: "Enregistrer l'écrit" }).click();
  await expect(page.getByText('Écrit enregistré.')).toBeVisible();
}

test("un écrit réservé aux psychologues, un écrit d'équipe corrigé avec ses deux versions", async ({ page }) => {
  const birthName = `ROCHE-${randomLetters(6)}`;
  await login(page, 'direction');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Nouvel usager' }).click();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Lucas');
  await page.getByLabel('Prénoms de naissance').fill('Lucas');
  await page.getByLabel('Sexe').selectOption({ label: 'Masculin' });
  await page.getByLabel('Date de naissance').fill('2012-04-09');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('13055');
  await page.getByLabel('Établissement et unité').selectOption({ label: 'DITEP Le Cap — Internat' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByText('Usager créé.')).toBeVisible();
  const url = page.url().replace(/\?.*$/, '');
  await logout(page);

  // The psychologue writes a note for psychologues only, after a refused attempt.
  await login(page, 'psy.ditep');
  await openEcrits(page, url);
  await expect(page.getByText('Aucun écrit.')).toBeVisible();
  await expectAccessible(page, 'écrits (vide)');
  await page.getByRole('link', { name: 'Rédiger un écrit' }).click();
  await expect(page.getByText('dans le dossier médical, pas ici')).toBeVisible();
  await page.getByRole('textbox', { name: /^Date de l'événement/ }).fill('2099-01-01');
  await page.getByRole('button', { name: "Enregistrer l'écrit" }).click();
  await expect(page.getByRole('textbox', { name: /^Date de l'événement/ })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText("La date de l'événement ne peut pas être dans le futur.").first()).toBeVisible();
  await expectAccessible(page, 'écrit refusé');
  await page.getByRole('link', { name: 'Retour aux écrits' }).click();
  await writeNote(page, {
    kind: 'Bilan psychologique', title: 'Bilan des séances', scope: /^Même profession uniquement/,
    text: "Lucas investit les séances ; anxiété lors des changements de groupe.",
  });
  await expect(page.getByText('Diffusion : Même profession uniquement', { exact: true })).toBeVisible();
  await expectAccessible(page, 'écrit');
  await page.getByRole('link', { name: 'Tous les écrits' }).click();
  await writeNote(page, {
    kind: "Note d'observation", title: 'Temps du coucher', scope: /^Équipe/,
    text: "Difficultés d'endormissement cette semaine.",
  });
  await logout(page);

  // The éducateur sees the team note only.
  await login(page, 'educ.internat');
  await openEcrits(page, url);
  await expect(page.getByRole('heading', { level: 3, name: 'Temps du coucher' })).toBeVisible();
  await expect(page.getByText('Bilan des séances')).toHaveCount(0);
  await expect(page.getByText('anxiété lors des changements de groupe')).toHaveCount(0);
  await expectAccessible(page, 'écrits vus par l\'éducateur');
  await logout(page);

  // The psychologue sees both, and corrects the team note.
  await login(page, 'psy.ditep');
  await openEcrits(page, url);
  await expect(page.getByRole('heading', { level: 3, name: 'Bilan des séances' })).toBeVisible();
  const team = page.getByRole('article').filter({ hasText: 'Temps du coucher' });
  await team.getByRole('link', { name: /Ouvrir/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Versions (1)' })).toBeVisible();
  await page.getByRole('textbox', { name: /^Contenu/ }).fill("Difficultés d'endormissement cette semaine ; une veilleuse l'apaise.");
  await page.getByRole('textbox', { name: /^Motif de la correction/ }).fill('Ajout de la solution retenue');
  await expectAccessible(page, 'correction');
  await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
  await expect(page.getByText('Correction enregistrée')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Versions (2)' })).toBeVisible();
  await expect(page.getByText("Difficultés d'endormissement cette semaine.", { exact: true })).toBeVisible();
  await expect(page.getByText("une veilleuse l'apaise").first()).toBeVisible();
  await expect(page.getByText('motif de la correction : Ajout de la solution retenue')).toBeVisible();
  await expectAccessible(page, 'versions');
  await logout(page);

  // The éducateur reads both versions too.
  await login(page, 'educ.internat');
  await openEcrits(page, url);
  await page.getByRole('link', { name: /Voir les 2 versions/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Versions (2)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Enregistrer la correction' })).toHaveCount(0);
});
