// Drives one headless Chromium for ConsoleBrowserTest: reads one JSON command a line on stdin, answers one JSON line
// on stdout ({ok: true, ...} or {ok: false, error}). The Java test decides what to do and asserts; this only acts.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'custody-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
  acceptDownloads: true,
});
const page = context.pages()[0] || await context.newPage();
const dialogs = [];
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });

async function run(cmd) {
  switch (cmd.op) {
    case 'goto': {
      const r = await page.goto(cmd.url, { waitUntil: 'load' });
      return { status: r ? r.status() : 0, url: page.url() };
    }
    case 'fill':
      await page.fill(cmd.selector, cmd.value);
      return {};
    case 'submit': {
      const [r] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press(cmd.selector, 'Enter')]);
      return { status: r ? r.status() : 0, url: page.url() };
    }
    case 'click': {
      const [r] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(cmd.selector)]);
      return { status: r ? r.status() : 0, url: page.url() };
    }
    case 'follow': {
      // what a link (e.g. a download button) answers, fetched with the page's cookies
      const href = await page.getAttribute(cmd.selector, 'href');
      const r = await context.request.get(new URL(href, page.url()).href);
      return { status: r.status(), disposition: r.headers()['content-disposition'] || '', body: (await r.body()).toString('utf8') };
    }
    case 'text':
      return { text: await page.innerText(cmd.selector) };
    case 'html':
      return { html: await page.content() };
    case 'waitText':
      await page.waitForFunction(([s, t]) => {
        const e = document.querySelector(s);
        return e && e.innerText.includes(t);
      }, [cmd.selector, cmd.text], { timeout: cmd.timeout || 10000 });
      return {};
    case 'count':
      return { count: await page.locator(cmd.selector).count() };
    case 'viewport':
      await page.setViewportSize({ width: cmd.width, height: cmd.height });
      return {};
    case 'screenshot':
      await page.screenshot({ path: cmd.path, fullPage: true });
      return {};
    case 'dialogs':
      return { dialogs };
    case 'close':
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      return {};
    default:
      throw new Error('unknown op ' + cmd.op);
  }
}

const lines = createInterface({ input: process.stdin });
process.stdout.write(JSON.stringify({ ok: true, ready: true, version: context.browser()?.version() ?? '' }) + '\n');
for await (const line of lines) {
  let cmd;
  try {
    cmd = JSON.parse(line);
    const out = await run(cmd);
    process.stdout.write(JSON.stringify({ ok: true, ...out }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.message || e) }) + '\n');
  }
  if (cmd && cmd.op === 'close') {
    break;
  }
}
process.exit(0);
