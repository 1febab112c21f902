import { expect, test } from '@playwright/test';
import { AuReviewApp } from './pages/app';

declare global {
  interface Window {
    policyViolations?: string[];
    inlineScriptRan?: boolean;
  }
}

/**
 * The built app under its own Content-Security-Policy: every screen a user opens on the
 * demo, with the face canvas, the analysis worker, a review decision and an export, runs
 * without one violation and without one request outside the app's origin.
 */
test('the built app runs under a strict Content-Security-Policy and asks nothing of another origin', async ({
  page,
  context,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const origin = new URL(baseURL as string).origin;
  const outside: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'blob:' || url.protocol === 'data:') return;
    if (url.origin !== origin) outside.push(request.url());
  });
  await page.addInitScript(() => {
    window.policyViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.policyViolations?.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });

  const app = new AuReviewApp(page);
  await app.open();
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("default-src 'self'");
  // No inline script or style and no eval; WebAssembly may be compiled (the face model
  // runs on TensorFlow.js's WebAssembly backend), which runs no JavaScript from strings.
  expect((policy ?? '').match(/'[a-z-]*unsafe[a-z-]*'/g)).toEqual(["'wasm-unsafe-eval'"]);
  expect(policy).not.toMatch(/https?:/);

  // The grid's thumbnails, then one face on the canvas.
  await expect(app.samples.shownCount).toHaveText(/^200 of 200 samples$/);
  await app.samples.openSample('0001.jpg');
  await expect(app.samples.canvas).toBeVisible();
  await app.goTo('Overview');
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Diagnosis' })
    .click();
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText(
    /AU labels predict the class/,
    { timeout: 60_000 },
  );
  await app.goTo('Review');
  await app.review.start('Ada', 5, 3);
  await app.review.press('a');
  await expect(app.review.position).toHaveText('2 of 5');
  await app.goTo('Export');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Download export/ }).click();
  await downloading;
  await app.goTo('Team');

  expect(await page.evaluate(() => window.policyViolations)).toEqual([]);
  expect(outside).toEqual([]);

  // The policy is enforced, not only declared: an injected inline script does not run.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineScriptRan = true';
    document.body.append(script);
  });
  // (Reported once per policy: the page's own and the server's header.)
  await expect.poll(() => page.evaluate(() => window.policyViolations?.length)).toBeGreaterThan(0);
  for (const violation of (await page.evaluate(() => window.policyViolations)) ?? [])
    expect(violation).toMatch(/^script-src-elem blocked inline/);
  expect(await page.evaluate(() => window.inlineScriptRan)).toBeUndefined();
});
