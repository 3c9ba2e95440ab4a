// Issue #5 slices reached so far: an allergy recorded by the physician becomes a safety banner every
// role sees, the aide-soignant meets the medical secret, and records a vital sign; with accessibility
// scans of the new pages.
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

test("une allergie saisie par le médecin s'affiche pour tous ; l'aide-soignant relève une constante", async ({ page }) => {
  const birthName = `MERCIER-${randomLetters(6)}`;
  await login(page, 'direction');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Nouvel usager' }).click();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Rose');
  await page.getByLabel('Prénoms de naissance').fill('Rose');
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.getByLabel('Date de naissance').fill('1936-09-02');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('69123');
  await page.getByLabel('Établissement et unité').selectOption({ label: 'EHPAD Les Tilleuls — Les Glycines' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByText('Usager créé.')).toBeVisible();
  const url = page.url().replace(/\?.*$/, '');

  // The physician records an allergy.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await login(page, 'medecin.ehpad');
  await page.goto(`${url}/medical`);
  await expect(page.getByRole('heading', { level: 1, name: 'Dossier médical' })).toBeVisible();
  await expectAccessible(page, 'dossier médical');
  await page.getByRole('link', { name: 'Ajouter une allergie ou intolérance' }).click();
  await page.getByLabel(/^Substance/).fill('Pénicilline');
  await page.getByLabel(/^Type/).selectOption({ index: 1 });
  await page.getByLabel(/^Sévérité/).selectOption({ index: 3 });
  await page.getByLabel('Réaction').fill('Œdème de Quincke');
  await expectAccessible(page, 'ajout d\'une allergie');
  await page.getByRole('button', { name: /Enregistrer/ }).click();
  await expect(page.getByRole('alert', { name: 'Allergies et intolérances' })).toContainText('Pénicilline');

  // The aide-soignant sees the allergy on every page but not the medical content.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await login(page, 'as.glycines');
  await page.goto(url);
  await expect(page.getByRole('alert', { name: 'Allergies et intolérances' })).toContainText('Pénicilline');
  await page.goto(`${url}/medical`);
  await expect(page.getByRole('heading', { name: 'Contenu couvert par le secret médical' })).toBeVisible();
  await expect(page.getByText('Œdème de Quincke')).toHaveCount(1); // only in the banner
  await expectAccessible(page, 'secret médical');

  // A vital sign: an impossible value is refused, then recorded and charted.
  await page.goto(`${url}/soins`);
  await expectAccessible(page, 'soins (vide)');
  await page.getByRole('textbox', { name: /^Température/ }).fill('20');
  await page.getByRole('button', { name: 'Enregistrer le relevé' }).click();
  await expect(page.getByRole('textbox', { name: /^Température/ })).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('textbox', { name: /^Température/ }).fill('38,4');
  await page.getByRole('textbox', { name: /^Poids/ }).fill('52,5');
  await page.getByRole('button', { name: 'Enregistrer le relevé' }).click();
  await expect(page.locator('svg[role="img"]').first()).toBeVisible();
  await expectAccessible(page, 'soins avec mesures');
});
