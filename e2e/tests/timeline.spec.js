// The person's timeline (Chronologie): on a tablet, a nurse opens a person's Chronologie, filters it to
// transmissions, loads the older page; with accessibility scans. The 35 transmissions are written through
// the JSON API (as a bedside app would), so the journey does not depend on the demo's dates.
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

test('la chronologie d’une personne, filtrée sur les transmissions, page suivante', async ({ page, request }) => {
  const birthName = `ROLLAND-${randomLetters(6)}`;
  await login(page, 'direction');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Nouvel usager' }).click();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Madeleine');
  await page.getByLabel('Prénoms de naissance').fill('Madeleine');
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.getByLabel('Date de naissance').fill('1936-07-02');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('69123');
  await page.getByLabel('Établissement et unité').selectOption({ label: 'EHPAD Les Tilleuls — Les Glycines' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByText('Usager créé.')).toBeVisible();
  const url = page.url().replace(/\?.*$/, '');
  const id = url.split('/').pop();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // 35 transmissions by the aide-soignant, and one measure, through the API.
  const session = await request.post('/api/v1/session', { data: { login: 'as.glycines', password: 'Parcours-Demo-2026' } });
  expect(session.status()).toBe(201);
  const headers = { authorization: `Bearer ${(await session.json()).token}` };
  for (let i = 1; i <= 35; i++) {
    const r = await request.post(`/api/v1/usagers/${id}/transmissions`, {
      headers,
      data: { cible: 'sommeil', category: 'soins', donnees: `Nuit numéro ${i} : sommeil paisible` },
    });
    expect(r.status()).toBe(201);
  }
  const m = await request.post(`/api/v1/usagers/${id}/soins`, { headers, data: { pouls: '72' } });
  expect(m.status(), await m.text()).toBe(201);

  // The nurse opens the Chronologie tab.
  await login(page, 'ide.ehpad');
  await page.goto(url);
  await page.getByRole('navigation', { name: "Dossier de l'usager" }).getByRole('link', { name: 'Chronologie' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chronologie' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Mesure : Pouls' })).toBeVisible();
  await expect(page.getByText('Nuit numéro 35 : sommeil paisible')).toBeVisible();
  await expectAccessible(page, 'chronologie');

  // Filtered to transmissions: no measure; the older page holds the first five nights.
  await page.getByRole('checkbox', { name: 'Transmissions' }).check();
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByRole('checkbox', { name: 'Transmissions' })).toBeChecked();
  await expect(page.getByRole('heading', { level: 3, name: 'Mesure : Pouls' })).toHaveCount(0);
  await expect(page.getByText('Nuit numéro 6 : sommeil paisible')).toBeVisible();
  await expect(page.getByText('Nuit numéro 5 : sommeil paisible')).toHaveCount(0);
  await page.getByRole('link', { name: 'Plus ancien' }).click();
  await expect(page.getByText('Nuit numéro 5 : sommeil paisible')).toBeVisible();
  await expect(page.getByText('Nuit numéro 1 : sommeil paisible')).toBeVisible();
  await expect(page.getByText('Nuit numéro 6 : sommeil paisible')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Plus ancien' })).toHaveCount(0);
  await expect(page.getByRole('checkbox', { name: 'Transmissions' })).toBeChecked();
  await expectAccessible(page, 'chronologie, page suivante');

  // A wrong period: the message next to the field.
  await page.getByLabel('Du', { exact: true }).fill('2026-12-31');
  await page.getByLabel('Au (inclus)').fill('2026-01-01');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByText('La fin de la période doit suivre son début.').first()).toBeVisible();
  await expectAccessible(page, 'chronologie, filtre refusé');
});
