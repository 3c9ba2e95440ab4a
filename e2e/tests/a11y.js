// Accessibility scan (WCAG 2.1 A/AA rules of axe-core): fails on any serious or critical violation.
const { expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

async function expectAccessible(page, label) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(report, `accessibility of ${label}`).toEqual([]);
}

module.exports = { expectAccessible };
