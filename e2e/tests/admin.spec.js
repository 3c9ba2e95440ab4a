// Administration: establishments, units and accounts, as the administrator sees them, with the
// accessibility scan; a wrong FINESS is refused with its message next to the field.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./a11y');

test("l'administrateur gère les établissements et les comptes", async ({ page }) => {
  await page.goto('/connexion');
  await page.getByLabel('Identifiant').fill('admin');
  await page.getByLabel('Mot de passe').fill('Parcours-Demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // Administrators have no access to persons: their home is the administration.
  await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Rechercher' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'EHPAD Les Tilleuls' })).toBeVisible();
  await expectAccessible(page, 'administration');

  const form = page.locator('form[action="/admin/etablissements"]');
  await form.getByLabel("Nom de l'établissement").fill('MAS Les Sources');
  await form.getByLabel('Numéro FINESS géographique').fill('750712185');
  await form.getByLabel('Catégorie FINESS').selectOption('255');
  await form.getByLabel('Capacité autorisée (places)').fill('40');
  await page.getByRole('button', { name: "Créer l'établissement" }).click();
  const finess = page.locator('form[action="/admin/etablissements"]').getByLabel('Numéro FINESS géographique');
  await expect(finess).toHaveAttribute('aria-invalid', 'true');
  await expect(finess).toHaveAccessibleDescription(/La clé du numéro FINESS est incorrecte/);
  await finess.fill('750712184');
  await page.getByRole('button', { name: "Créer l'établissement" }).click();
  await expect(page.getByRole('heading', { name: 'MAS Les Sources' })).toBeVisible();

  await page.getByRole('link', { name: 'Comptes des professionnels' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Comptes des professionnels' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Hélène Garnier' })).toBeVisible();
  await expectAccessible(page, 'comptes');
  await page.getByRole('link', { name: 'Nouveau compte' }).click();
  await page.getByLabel('Identifiant de connexion').fill('nina.simon');
  await page.getByLabel('Prénom', { exact: false }).first().fill('Nina');
  await page.getByLabel(/^Nom/).fill('Simon');
  await page.getByLabel('Profession').selectOption('infirmier');
  await page.getByLabel('Rôle dans Parcours').selectOption('infirmier');
  await page.getByLabel('EHPAD Les Tilleuls — Les Glycines').check();
  await page.getByLabel(/^Mot de passe/).fill('motdepasse12');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByLabel(/^Mot de passe/)).toHaveAccessibleDescription(/trop courant/);
  await expectAccessible(page, 'nouveau compte avec erreurs');
  await page.getByLabel(/^Mot de passe/).fill('cheval agrafe correct batterie');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('cell', { name: 'Nina Simon' })).toBeVisible();
});
