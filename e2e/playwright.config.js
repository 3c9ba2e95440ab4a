// Browser tests of Parcours: Debian's Chromium (no browser download), a 10-inch tablet viewport,
// and a fresh demo server on its own data directory for each run.
const { defineConfig } = require('@playwright/test');
const fs = require('fs');
const os = require('os');
const path = require('path');

// Playwright evaluates this file in the runner and again in each worker: make the data directory once,
// in the runner (workers inherit its environment), and remove it when the runner exits.
if (!process.env.PARCOURS_E2E_DATA_DIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-e2e-'));
  process.env.PARCOURS_E2E_DATA_DIR = dir;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}
const dataDir = process.env.PARCOURS_E2E_DATA_DIR;
const bin = process.env.PARCOURS_BIN || path.join(__dirname, '..', 'target', 'debug', 'parcours');
const port = process.env.PARCOURS_E2E_PORT || '18080';

module.exports = defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    launchOptions: {
      // Headless is Playwright's default (it passes the flag itself); these keep Chromium off the network.
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    // A 10-inch tablet held landscape, with a touch screen.
    { name: 'tablette', use: { viewport: { width: 1024, height: 768 }, hasTouch: true } },
  ],
  webServer: {
    command: `"${bin}" serve --demo --data-dir "${dataDir}" --listen 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
