// Issue #5, transmissions ciblées and the relève: an aide-soignant writes a DAR transmission on a tablet,
// the nurse of the next shift reads it in the unit's relève and marks it read, then corrects it and sees
// both versions; with accessibility scans of each page.
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

test("une transmission DAR écrite, lue à la relève suivante, corrigée avec ses deux versions", async ({ page }) => {
  const birthName = `FAURE-${randomLetters(6)}`;
  await login(page, 'direction');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Nouvel usager' }).click();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Jeanne');
  await page.getByLabel('Prénoms de naissance').fill('Jeanne');
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.getByLabel('Date de naissance').fill('1938-03-12');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('69123');
  await page.getByLabel('Établissement et unité').selectOption({ label: 'EHPAD Les Tilleuls — Les Glycines' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByText('Usager créé.')).toBeVisible();
  const url = page.url().replace(/\?.*$/, '');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The aide-soignant writes a DAR transmission.
  await login(page, 'as.glycines');
  await page.goto(url);
  await page.getByRole('navigation', { name: "Dossier de l'usager" }).getByRole('link', { name: 'Transmissions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Transmissions ciblées' })).toBeVisible();
  await expect(page.getByText('Aucune transmission.')).toBeVisible();
  await expectAccessible(page, 'transmissions (vide)');
  await page.getByRole('button', { name: 'Enregistrer la transmission' }).click();
  await expect(page.getByRole('combobox', { name: /^Cible/ })).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'transmission refusée');
  await page.getByRole('combobox', { name: /^Cible/ }).selectOption({ label: 'Chute' });
  await page.getByRole('combobox', { name: /^Catégorie/ }).selectOption({ label: 'Soins' });
  await page.getByRole('textbox', { name: /^Données/ }).fill('Retrouvée assise au sol près du lit à 6 h');
  await page.getByRole('textbox', { name: /^Actions/ }).fill('Relevée à deux, constantes prises');
  await page.getByRole('checkbox', { name: /^Important/ }).check();
  await page.getByRole('button', { name: 'Enregistrer la transmission' }).click();
  await expect(page.getByText('Transmission enregistrée.')).toBeVisible();
  await expect(page.getByText('Retrouvée assise au sol près du lit à 6 h')).toBeVisible();
  await expectAccessible(page, 'transmissions');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The nurse of the next shift reads it in the unit's relève and marks it read.
  await login(page, 'ide.ehpad');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Relève' }).click();
  await page.getByLabel('Unité').selectOption({ label: 'Les Glycines' });
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Relève : Les Glycines' })).toBeVisible();
  const item = page.getByRole('article').filter({ hasText: birthName });
  await expect(item).toContainText('Retrouvée assise au sol près du lit à 6 h');
  await expect(item).toContainText('Non lu');
  await expect(item).toContainText('Important');
  await expectAccessible(page, 'relève');
  await item.getByRole('button', { name: /Marquer comme lu/ }).click();
  await expect(page.getByText('Transmission marquée comme lue.')).toBeVisible();
  const read = page.getByRole('article').filter({ hasText: birthName });
  await expect(read).toContainText('Lue par :');
  await expect(read.getByRole('button', { name: /Marquer comme lu/ })).toHaveCount(0);
  await expectAccessible(page, 'relève lue');

  // Corrected: a new version, the original stays readable.
  await read.getByRole('link', { name: /Versions et correction/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Versions (1)' })).toBeVisible();
  await page.getByRole('textbox', { name: /^Données/ }).fill('Retrouvée assise au sol près du lit à 5 h 30');
  await page.getByRole('textbox', { name: /^Résultats/ }).fill('Pas de douleur, marche habituelle');
  await page.getByRole('textbox', { name: /^Motif de la correction/ }).fill('Heure exacte donnée par la veilleuse');
  await expectAccessible(page, 'correction');
  await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
  await expect(page.getByText('Correction enregistrée')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Versions (2)' })).toBeVisible();
  await expect(page.getByText('Retrouvée assise au sol près du lit à 6 h')).toBeVisible();
  await expect(page.getByText('Retrouvée assise au sol près du lit à 5 h 30').first()).toBeVisible();
  await expect(page.getByText('motif de la correction : Heure exacte donnée par la veilleuse')).toBeVisible();
  await expectAccessible(page, 'versions');
});
