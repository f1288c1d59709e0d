// Drives Neo4j Browser in headless Chromium (the system's, never a downloaded one) the
// way a newcomer would: open the Browser URL with the connection filled in, log in, play
// the backchannel guide, apply the style from its first slide, go to the
// influence-paths slide, turn off "Connect result nodes" from it, set its parameters
// (actors by name) and run it, then check that the graph view shows the expected actors,
// captioned, in the style's colours, and only the relationships of the paths.
// e2e_test.go runs it with its settings in the environment; it exits non-zero, with
// the step that failed, on any failure, after saving a screenshot.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const browserURL = env('E2E_BROWSER_URL'); // http://localhost:7474/browser/
const boltURL = env('E2E_BOLT_URL'); // bolt://localhost:7687
const username = env('E2E_USERNAME');
const password = env('E2E_PASSWORD');
const playLine = env('E2E_PLAY'); // :play http://localhost:PORT/backchannel.html
const expected = JSON.parse(env('E2E_EXPECT')); // {captions: {name: colour}, relColors: [...]}
const artifacts = env('E2E_ARTIFACTS');
mkdirSync(artifacts, { recursive: true });

const timeout = 30_000;
let step = 'launch Chromium';
const browser = await chromium.launch({
  executablePath: env('E2E_CHROMIUM'),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
const consoleErrors = [];
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(m.text());
});

// run types a command into Browser's main editor and runs it.
async function run(cmd) {
  await page.click('#monaco-main-editor');
  await page.keyboard.type(cmd);
  await page.click('[data-testid="editor-Run"]');
}

// normalise is a caption's text: Browser splits captions into lines.
const normalise = (s) => s.replace(/\s+/g, ' ').trim();

let failed = false;
try {
  step = 'open Browser with the connection filled in';
  const url = new URL(browserURL);
  const bolt = new URL(boltURL);
  url.searchParams.set('connectURL', `${bolt.protocol}//${username}@${bolt.host}`);
  await page.goto(url.toString());
  await page.waitForSelector('[data-testid="password"]', { timeout: 60_000 });
  const address = await page.inputValue('[data-testid="boltaddress"]');
  if (address !== bolt.host) throw new Error(`the connect form shows ${address}, want ${bolt.host}`);
  const user = await page.inputValue('[data-testid="username"]');
  if (user !== username) throw new Error(`the connect form shows user ${user}, want ${username}`);

  step = 'log in';
  await page.fill('[data-testid="password"]', password);
  await page.click('[data-testid="connect"]');
  await page.getByText('You are connected').waitFor({ timeout });

  step = `play the guide (${playLine})`;
  await run(playLine);
  await page.waitForSelector('#bc-start', { timeout });
  const actors = normalise(await page.textContent('#bc-actors'));
  for (const name of Object.keys(expected.captions)) {
    if (!actors.includes(name)) throw new Error(`the guide's actor table lacks ${name}`);
  }

  step = 'apply the style from the first slide';
  await page.click('#bc-style i.fa-play-circle-o');
  await page.locator('[data-testid="frameCommand"]', { hasText: ':style' }).first().waitFor({ timeout });

  step = 'go to the influence-paths slide';
  for (let i = 0; i < 30 && !(await page.isVisible('#bc-influence-paths')); i++) {
    await page.click('[data-testid="nextSlide"]');
  }
  await page.waitForSelector('#bc-influence-paths', { timeout });

  step = 'turn off "Connect result nodes" from the slide';
  await page.click('#bc-influence-paths pre.bc-connect i.fa-play-circle-o');
  await page.locator('[data-testid="frameCommand"]', { hasText: ':config autoComplete' }).first().waitFor({ timeout });

  step = 'set the parameters from the slide';
  const params = normalise(await page.textContent('#bc-influence-paths pre.bc-params'));
  for (const name of expected.paramNames) {
    if (!params.includes(`'${name}'`)) throw new Error(`the :param block gives no actor by name ${name}: ${params}`);
  }
  await page.click('#bc-influence-paths pre.bc-params i.fa-play-circle-o');
  // The block's statements run in turn, each evaluated by the server: wait until every
  // one reports success before the query needs them.
  const lines = (await page.textContent('#bc-influence-paths pre.bc-params')).split(';').filter((l) => l.trim()).length;
  const script = page.locator('[data-testid="frame"]', { hasText: ':param' }).first();
  await script.locator('[data-testid="multi-statement-list-icon"]').first().waitFor({ timeout });
  await page.waitForFunction(
    ([n]) => {
      const frame = document.querySelector('[data-testid="frame"]');
      return frame && frame.querySelectorAll('[data-testid="multi-statement-list-icon"][title="Status: success"]').length === n;
    },
    [lines],
    { timeout },
  );

  step = 'run influence-paths from the slide';
  const frames = await page.locator('[data-testid="frame"]').count();
  await page.click('#bc-influence-paths pre.bc-query i.fa-play-circle-o');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="frame"]').length > n, frames, { timeout });
  const result = page.locator('[data-testid="frame"]').first();
  await result.locator('svg g.node').or(result.getByText(/no records/i)).first().waitFor({ timeout });
  if ((await result.locator('svg g.node').count()) === 0) {
    throw new Error('influence-paths returned no records: the stored query did not resolve the actors given by name');
  }
  await page.waitForTimeout(2000); // let the layout settle before the screenshot

  step = 'check the graph view';
  const nodes = await result.locator('svg g.node').evaluateAll((gs) =>
    gs.map((g) => ({
      caption: [...g.querySelectorAll('text.caption')].map((t) => t.textContent).join(' '),
      fill: (g.querySelector('circle.b-outline')?.getAttribute('fill') || '').toUpperCase(),
    })),
  );
  const rels = await result.locator('svg g.relationship path.b-outline').evaluateAll((ps) =>
    ps.map((p) => (p.getAttribute('fill') || '').toUpperCase()),
  );
  console.log(`graph view: ${nodes.length} nodes (${nodes.map((n) => normalise(n.caption) + ' ' + n.fill).join(', ')}); relationship colours ${[...new Set(rels)].join(', ')}`);
  for (const [name, colour] of Object.entries(expected.captions)) {
    const node = nodes.find((n) => normalise(n.caption) === name);
    if (!node) throw new Error(`no node captioned ${name} in the graph view`);
    if (node.fill !== colour.toUpperCase()) throw new Error(`${name} is drawn ${node.fill}, want the style's ${colour}`);
  }
  const drawn = await result.locator('svg g.relationship').count();
  console.log(`graph view: ${drawn} relationships drawn; the paths have ${expected.pathRels}`);
  if (drawn !== expected.pathRels) {
    throw new Error(`the graph view draws ${drawn} relationships, want the ${expected.pathRels} of the paths`);
  }
  for (const colour of expected.relColors) {
    if (!rels.includes(colour.toUpperCase())) throw new Error(`no relationship drawn in ${colour}; got ${[...new Set(rels)].join(', ')}`);
  }
  console.log('ok: connected, played the guide, applied the style, ran influence-paths by actor names');
} catch (err) {
  failed = true;
  console.error(`FAILED at step "${step}": ${err.message}`);
  // Browser's own calls home fail offline (net::ERR_...); the rest may explain a failure.
  const errors = consoleErrors.filter((e) => !e.startsWith('Failed to load resource: net::'));
  if (errors.length) console.error(`browser console errors:\n  ${errors.slice(-5).join('\n  ')}`);
} finally {
  const shot = path.join(artifacts, failed ? 'browser-guide-failed.png' : 'browser-guide.png');
  await page.screenshot({ path: shot }).catch(() => {});
  console.log(`screenshot: ${shot}`);
  await browser.close();
}
process.exit(failed ? 1 : 0);
