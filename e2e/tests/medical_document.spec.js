// Medical documents of the medical file: the physician files a PDF (generated here) on a tablet, sees it
// listed and downloads it identical; an aide-soignant of the unit sees that the medical file exists but no
// document title; with accessibility scans of each page.
const { test, expect } = require('@playwright/test');
const crypto = require('crypto');
const fs = require('fs');
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

// A tiny valid one-page PDF, with its cross-reference table computed from the real offsets.
function tinyPdf(text) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 14 Tf 72 760 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  offsets.forEach((o) => { out += `${String(o).padStart(10, '0')} 00000 n \n`; });
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

test("le médecin verse un compte rendu en PDF, le télécharge ; l'aide-soignant n'en voit pas le titre", async ({ page }) => {
  const birthName = `GARNIER-${randomLetters(6)}`;
  const title = `CRH cardiologie ${randomLetters(4)}`;
  await login(page, 'direction');
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Nouvel usager' }).click();
  await page.getByLabel(/^Nom de naissance/).fill(birthName);
  await page.getByLabel('Premier prénom de naissance').fill('Lucienne');
  await page.getByLabel('Prénoms de naissance').fill('Lucienne');
  await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
  await page.getByLabel('Date de naissance').fill('1935-07-02');
  await page.getByLabel('Lieu de naissance (code INSEE)').fill('37261');
  await page.getByLabel('Établissement et unité').selectOption({ label: 'EHPAD Les Tilleuls — Les Glycines' });
  await page.getByRole('button', { name: "Créer l'usager" }).click();
  await expect(page.getByText('Usager créé.')).toBeVisible();
  const url = page.url().replace(/\?.*$/, '');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The physician files a PDF.
  await login(page, 'medecin.ehpad');
  await page.goto(url);
  await page.getByRole('navigation', { name: "Dossier de l'usager" }).getByRole('link', { name: 'Dossier médical' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Documents médicaux' })).toBeVisible();
  await expect(page.getByText('Aucun document médical.')).toBeVisible();
  await page.getByRole('link', { name: 'Verser un document' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Verser un document médical' })).toBeVisible();
  await expectAccessible(page, 'verser un document');

  // A file that is not a PDF or an image is refused in French, the fields kept.
  await page.getByRole('combobox', { name: /^Type de document/ }).selectOption({ label: "Compte rendu d'hospitalisation" });
  await page.getByRole('textbox', { name: /^Titre/ }).fill(title);
  await page.getByLabel(/^Fichier/).setInputFiles({ name: 'crh.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not a pdf') });
  await page.getByRole('button', { name: 'Verser au dossier médical' }).click();
  await expect(page.getByLabel(/^Fichier/)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('ni un PDF, ni une image JPEG ou PNG').first()).toBeVisible();
  await expect(page.getByRole('textbox', { name: /^Titre/ })).toHaveValue(title);
  await expectAccessible(page, 'document refusé');

  const pdf = tinyPdf('Compte rendu d hospitalisation - cardiologie');
  await page.getByLabel(/^Fichier/).setInputFiles({ name: 'crh-cardiologie.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Verser au dossier médical' }).click();
  await expect(page.getByText('Document versé au dossier médical.')).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: title });
  await expect(row).toContainText("Compte rendu d'hospitalisation");
  await expect(row).toContainText('Paul Lefèvre');
  await expectAccessible(page, 'dossier médical avec document');

  // The download is the very same file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: /Télécharger/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const saved = fs.readFileSync(await download.path());
  const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
  expect(sha(saved)).toBe(sha(pdf));

  // Its page shows the version and the fingerprint.
  await row.getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(sha(pdf))).toBeVisible();
  await expectAccessible(page, 'document');
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // The aide-soignant of the unit: the medical file exists, its documents' titles are not shown.
  await login(page, 'as.glycines');
  await page.goto(`${url}/medical`);
  await expect(page.getByRole('heading', { level: 2, name: 'Contenu couvert par le secret médical' })).toBeVisible();
  await expect(page.getByText(title)).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Documents médicaux' })).toHaveCount(0);
  await expectAccessible(page, 'dossier médical (aide-soignant)');
});
