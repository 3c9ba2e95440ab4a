// Cahier de liaison: an aide-soignant writes a message to her unit with a follow-up item on a tablet, a
// nurse of the establishment reads it (read receipt), marks the follow-up done and sees who did what;
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

test("un message à l'unité avec une chose à faire, lu par une autre professionnelle qui la marque faite", async ({ page }) => {
  const subject = `Fauteuil roulant ${randomLetters(5)}`;
  const todo = `Appeler le revendeur ${randomLetters(4)}`;

  await login(page, 'as.glycines');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Cahier de liaison' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cahier de liaison' })).toBeVisible();
  await expect(page.getByText("pas d'information couverte par le secret médical")).toBeVisible();
  await expectAccessible(page, 'cahier de liaison');
  // Refused in French, next to the fields.
  await page.getByRole('button', { name: 'Enregistrer le message' }).click();
  await expect(page.getByRole('combobox', { name: /^Destinataire \(obligatoire\)/ })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('textbox', { name: /^Sujet/ })).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'message refusé');
  await page.getByRole('combobox', { name: /^Destinataire \(obligatoire\)/ }).selectOption({ label: 'Les Glycines — EHPAD Les Tilleuls' });
  await page.getByRole('textbox', { name: /^Sujet/ }).fill(subject);
  await page.getByRole('textbox', { name: /^Message/ }).fill('Le frein gauche du fauteuil de la chambre 8 ne tient plus.');
  await page.getByRole('checkbox', { name: /^Important/ }).check();
  await page.getByLabel('À faire n° 1').fill(todo);
  await page.getByLabel('Pour le (n° 1)').fill('2030-01-15');
  await page.getByRole('button', { name: 'Enregistrer le message' }).click();
  await expect(page.getByText('Message enregistré.')).toBeVisible();
  const mine = page.getByRole('article').filter({ hasText: subject });
  await expect(mine).toContainText('Lu par personne pour l\'instant.');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The nurse of the establishment: unread first, one tap to read, one tap to tick the follow-up.
  await login(page, 'ide.ehpad');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Cahier de liaison' }).click();
  await page.getByLabel('Non lus seulement').check();
  await page.getByRole('button', { name: 'Filtrer' }).click();
  const item = page.getByRole('article').filter({ hasText: subject });
  await expect(item).toContainText('Non lu');
  await expect(item).toContainText('Important');
  await expect(item).toContainText(`${todo} — pour le 15/01/2030`);
  await expectAccessible(page, 'cahier de liaison, non lus');
  await item.getByRole('button', { name: `Marquer comme lu : ${subject}` }).click();
  await expect(page.getByText('Message marqué comme lu.')).toBeVisible();
  await expect(page.getByRole('article').filter({ hasText: subject })).toHaveCount(0);
  await page.getByLabel('Non lus seulement').uncheck();
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByRole('article').filter({ hasText: subject })).toContainText('Lu par : Julie Moreau');
  await page.getByRole('link', { name: subject, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await page.getByRole('button', { name: `Marquer fait : ${todo}` }).click();
  await expect(page.getByText('Chose à faire marquée comme faite.')).toBeVisible();
  await expect(page.getByText(/Fait le .* par Julie Moreau/)).toBeVisible();
  await expect(page.getByRole('button', { name: `Remettre à faire : ${todo}` })).toBeVisible();
  await expectAccessible(page, 'message du cahier de liaison');
});
