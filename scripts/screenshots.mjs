// Takes the screenshots used in README.md from a running app:
//   npm run build && npx vite preview --port 4173 &  node scripts/screenshots.mjs
import { chromium } from '@playwright/test';
import path from 'node:path';

const base = process.env.APP_URL ?? 'http://127.0.0.1:4173';
const fixtures = path.resolve(process.env.RAFCE_FIXTURES ?? '../shared/fixtures/raf-ce');
const out = process.argv[2] ?? 'docs';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(base);
await page.getByTestId('shown-count').waitFor();
await page.waitForTimeout(800);
await page.screenshot({ path: `${out}/grid.png` });

await page.getByRole('button', { name: /^Open sample 0004\.jpg/ }).click();
await page.waitForTimeout(800);
await page.screenshot({ path: `${out}/sample.png` });

/** @param {string} name */
const tab = (name) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
await tab('Overview');
// The overview's evidence figures arrive after the check.
await page.getByTestId('au-accuracy').waitFor();
await page.waitForTimeout(500);
await page.setViewportSize({ width: 1400, height: 1700 });
await page.screenshot({ path: `${out}/overview.png` });
await tab('Rules');
await page.waitForTimeout(300);
await page.screenshot({ path: `${out}/rules.png` });
await page.setViewportSize({ width: 1400, height: 900 });

await tab('Review');
await page.getByLabel('Your name').fill('Ada');
await page.getByRole('button', { name: 'Start reviewing' }).click();
await page.getByRole('button', { name: 'Create and start' }).click();
await page.waitForTimeout(600);
for (const key of ['a', 'c', '2', '6', 'Enter']) await page.keyboard.press(key);
await page.getByLabel('Show AU regions').check();
await page.waitForTimeout(500);
await page.screenshot({ path: `${out}/review.png` });

await tab('Import');
await page
  .getByLabel('Choose label files', { exact: true })
  .setInputFiles(
    ['RAFCE_emolabel.txt', 'RAFCE_AUlabel.txt', 'RAFCE_partition.txt'].map((f) =>
      path.join(fixtures, f),
    ),
  );
await page.getByTestId('samples-accepted').waitFor();
await page.getByRole('button', { name: /^Save dataset/ }).click();
await page.getByRole('heading', { name: /^Parse report:/ }).waitFor();
await page.setViewportSize({ width: 1400, height: 1500 });
await page.waitForTimeout(300);
await page.screenshot({ path: `${out}/parse-report.png` });
await page.setViewportSize({ width: 1400, height: 1100 });
await page.getByRole('button', { name: 'Next: the diagnosis' }).click();
const predicts = page.getByRole('region', { name: 'How well the AU labels predict the emotion' });
await predicts.waitFor({ timeout: 60_000 });
await page.waitForTimeout(500);
await page.screenshot({ path: `${out}/diagnosis.png` });
await predicts.scrollIntoViewIfNeeded();
await page.screenshot({ path: `${out}/diagnosis-confusion.png` });
await page.setViewportSize({ width: 1400, height: 900 });

// A large file being read: three million lines take a few seconds, long enough to see.
await page.setViewportSize({ width: 1400, height: 900 });
await tab('Import');
const lines = [];
for (let i = 1; i <= 3_000_000; i++) lines.push(`${String(i).padStart(7, '0')}.jpg ${i % 14}`);
await page.getByLabel('Choose label files', { exact: true }).setInputFiles([
  {
    name: 'RAFCE_emolabel.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(lines.join('\n')),
  },
]);
const reading = page.getByRole('status', { name: 'Reading progress' });
await reading.waitFor();
await page.waitForTimeout(700);
await page.screenshot({ path: `${out}/import-progress.png` });
await browser.close();
