// Issue #2 journey: login → search → create with a wrong NIR first → fix → edit → access history,
// on a tablet viewport, with an accessibility scan of every page.
const { test, expect } = require('@playwright/test');
const { expectAccessible } = require('./a11y');

// NIR key: 97 − (N mod 97) on the 13 first digits.
function nir(body) {
  const key = 97n - (BigInt(body) % 97n);
  return { good: body + String(key).padStart(2, '0'), wrong: body + String((key % 97n) + 1n).padStart(2, '0') };
}

function randomLetters(n) {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from({ length: n }, () => letters[Math.floor(Math.random() * letters.length)]).join('');
}

test('un professionnel crée, corrige et retrouve un usager, et voit qui a ouvert son dossier', async ({ page }) => {
  const birthName = `BERNARD-${randomLetters(6)}`;
  const { good, wrong } = nir('2500375056123');

  // Login.
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion$/);
  await expectAccessible(page, 'connexion');
  await page.getByLabel('Identifiant').fill('direction');
  await page.getByLabel('Mot de passe').fill('Parcours-Demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accueil' })).toBeVisible();
  await expectAccessible(page, 'accueil');

  // Search: nobody yet with this name; a demo name is found by an accent-free lower-case prefix.
  const nav = page.getByRole('navigation', { name: 'Navigation principale' });
  await nav.getByRole('link', { name: 'Rechercher' }).click();
  const box = page.getByLabel('Rechercher un usager');
  await box.fill(birthName.toLowerCase());
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByText('Aucun usager ne correspond à votre recherche.')).toBeVisible();
  await expectAccessible(page, 'recherche');

  // Create with a wrong NIR first.
  await nav.getByRole('link', { name: 'Nouvel usager' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvel usager' })).toBeVisible();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Lucie');
  await page.getByLabel('Prénoms de naissance').fill('Lucie Anne');
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.getByLabel('Date de naissance').fill('1950-03-12');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('75056');
  await page.getByLabel('Matricule INS').fill(wrong);
  await page.getByLabel('OID INS').selectOption({ label: 'INS-NIR de test (1.2.250.1.213.1.4.10)' });
  await page.getByLabel('Établissement et unité').selectOption({ label: 'EHPAD Les Tilleuls — Les Glycines' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Le formulaire contient des erreurs' })).toBeVisible();
  const ins = page.getByLabel('Matricule INS');
  await expect(ins).toHaveAttribute('aria-invalid', 'true');
  await expect(ins).toHaveAccessibleDescription(/La clé du matricule INS est incorrecte : vérifiez la saisie\./);
  await expectAccessible(page, 'création avec erreurs');

  // Fix it.
  await ins.fill(good);
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${birthName} Lucie`);
  const banner = page.getByRole('region', { name: "Identité de l'usager" });
  await expect(banner.getByText('Identité provisoire').first()).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Usager créé.');
  await expectAccessible(page, 'dossier');

  // It is found by search, accent- and case-insensitively, by prefix.
  await nav.getByRole('link', { name: 'Rechercher' }).click();
  await page.getByLabel('Rechercher un usager').fill(`${birthName.slice(0, 10).toLowerCase()} luc`);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('link', { name: `${birthName} Lucie` }).click();

  // Edit: a used name.
  await page.getByRole('link', { name: "Modifier l'identité" }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Modifier l'identité" })).toBeVisible();
  await expectAccessible(page, 'modification');
  await page.getByLabel(/^Nom utilisé/).fill('MARTIN');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toHaveText('Identité mise à jour.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('MARTIN Lucie');

  // History of changes.
  await page.getByRole('link', { name: "Historique de l'identité" }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Historique des modifications' })).toBeVisible();
  await expect(page.getByText('Version 2 — Modification de l\'identité')).toBeVisible();
  await expect(page.getByText('Version 1 — Création')).toBeVisible();
  await expect(page.getByText(/modifié par Hélène Garnier/)).toBeVisible();
  await expectAccessible(page, 'historique des modifications');

  // Access history.
  await page.getByRole('link', { name: 'Historique des accès' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Historique des accès' })).toBeVisible();
  const table = page.getByRole('table');
  for (const header of ['Date', 'Professionnel', 'Action']) {
    await expect(table.getByRole('columnheader', { name: header })).toBeVisible();
  }
  for (const action of ['Création', "Modification de l'identité", 'Consultation du dossier']) {
    await expect(table.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
  }
  await expect(table.getByRole('cell', { name: 'Hélène Garnier' }).first()).toBeVisible();
  await expectAccessible(page, 'historique des accès');

  // Logout.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/connexion$/);
});

test('la recherche se met à jour pendant la saisie (htmx)', async ({ page }) => {
  await page.goto('/connexion');
  await page.getByLabel('Identifiant').fill('secretariat');
  await page.getByLabel('Mot de passe').fill('Parcours-Demo-2026');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.goto('/usagers');
  await page.getByLabel('Rechercher un usager').pressSequentially('mart', { delay: 30 });
  // No submit: the results arrive by themselves.
  await expect(page.getByRole('list', { name: 'Résultats de la recherche' })).toBeVisible();
  await expect(page).toHaveURL(/q=mart/);
  // The page was not reloaded: the search box still has the focus and what was typed.
  await expect(page.getByLabel('Rechercher un usager')).toBeFocused();
  await expect(page.getByLabel('Rechercher un usager')).toHaveValue('mart');
});
