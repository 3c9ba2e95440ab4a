// Issue #5, full-text search scoped by the gate: an aide-soignant and a physician write about the same
// person; the aide-soignant's search finds her own transmission whatever the accents, case and plural,
// highlighted, and nothing of the physician's medical one; the physician finds it. Accessibility scans.
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

async function writeTransmission(page, url, category, donnees) {
  await page.goto(`${url}/transmissions`);
  await page.getByRole('combobox', { name: /^Cible/ }).selectOption({ label: 'Sommeil' });
  await page.getByRole('combobox', { name: /^Catégorie/ }).selectOption({ label: category });
  await page.getByRole('textbox', { name: /^Données/ }).fill(donnees);
  await page.getByRole('button', { name: 'Enregistrer la transmission' }).click();
  await expect(page.getByText('Transmission enregistrée.')).toBeVisible();
}

test('la recherche plein texte ne montre que ce que le professionnel peut lire', async ({ page }) => {
  const birthName = `ROCHE-${randomLetters(6)}`;
  // Two made-up words, so that the demo's own transmissions never match.
  const own = `Zorglub${randomLetters(5).toLowerCase()}`;
  const secret = `Xyloph${randomLetters(5).toLowerCase()}`;
  await login(page, 'direction');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Nouvel usager' }).click();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Marthe');
  await page.getByLabel('Prénoms de naissance').fill('Marthe');
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.getByLabel('Date de naissance').fill('1936-07-02');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('69123');
  await page.getByLabel('Établissement et unité').selectOption({ label: 'EHPAD Les Tilleuls — Les Glycines' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByText('Usager créé.')).toBeVisible();
  const url = page.url().replace(/\?.*$/, '').replace(/^https?:\/\/[^/]+/, '');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  await login(page, 'medecin.ehpad');
  await writeTransmission(page, url, 'Médical (secret médical)', `Insomnies rebelles, ${secret} prescrit`);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  await login(page, 'as.glycines');
  await writeTransmission(page, url, 'Soins', `Nuits agitées, réveils fréquents, ${own} demandé`);
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Recherche dans les écrits' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rechercher dans les transmissions et les écrits' })).toBeVisible();
  await expectAccessible(page, 'recherche (vide)');
  await page.getByRole('searchbox', { name: 'Mots recherchés' }).fill(`NUIT agitee ${own.toUpperCase()}`);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  const result = page.getByRole('article').filter({ hasText: birthName });
  await expect(result).toHaveCount(1);
  await expect(result.locator('mark').first()).toHaveText('Nuits');
  await expect(result.locator('mark', { hasText: own })).toHaveCount(1);
  await expectAccessible(page, 'résultats de recherche');
  // The medical transmission is neither found nor counted.
  await page.getByRole('searchbox', { name: 'Mots recherchés' }).fill(secret);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByText(`Aucun résultat pour « ${secret} ».`)).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(0);
  // A result opens the transmission.
  await page.getByRole('searchbox', { name: 'Mots recherchés' }).fill(own);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('article').filter({ hasText: birthName }).getByRole('link').click();
  await expect(page.getByText(`Nuits agitées, réveils fréquents, ${own} demandé`).first()).toBeVisible();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  await login(page, 'medecin.ehpad');
  await page.goto(`/recherche?q=${secret.toLowerCase()}`);
  await expect(page.getByRole('article').filter({ hasText: birthName })).toContainText('Médical');
});
