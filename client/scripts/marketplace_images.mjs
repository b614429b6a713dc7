// `./dev marketplace-images` (also `npm run marketplace:images`): copies the screenshots the
// real-editor e2e took for the marketplace README (tests/e2e/output/marketplace-*.png, or
// $E2E_OUT) into client/marketplace/images/, where the README links them. Run `./dev e2e` first.
//
// The README links them relatively (images/diagnostics.png), which reads right in the repository.
// vsce refuses relative images unless it can make them https URLs: a release packages with
// PA_IMAGES_BASE_URL (client/scripts/package.mjs; .github/workflows/release.yml sets it to this
// folder in the tagged commit), so the Marketplace page loads them from there.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// (The unit tests bundle this file as CommonJS, where import.meta.url is not set.)
const self = import.meta.url ? fileURLToPath(import.meta.url) : '';
/** The README's screenshots: the e2e saves `marketplace-<name>.png` for each (tests/e2e/run.mjs). */
export const SHOTS = ['diagnostics', 'hover', 'chat-diagram'];
/** Each committed PNG stays small (the e2e's are ~200 KB at 1600 x 1000). */
export const MAX_BYTES = 400 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function copyShots(from, to) {
  const problems = [];
  const found = SHOTS.map((name) => {
    const source = path.join(from, `marketplace-${name}.png`);
    if (!fs.existsSync(source)) {
      problems.push(`${source} is missing: run ./dev e2e first`);
      return null;
    }
    const bytes = fs.readFileSync(source);
    if (!bytes.subarray(0, 8).equals(PNG)) problems.push(`${source} is not a PNG`);
    if (bytes.length > MAX_BYTES) problems.push(`${source} is ${(bytes.length / 1024).toFixed(0)} KB, over ${MAX_BYTES / 1024} KB`);
    return { name, bytes };
  });
  if (problems.length) throw new Error(problems.join('\n'));
  fs.mkdirSync(to, { recursive: true });
  for (const { name, bytes } of found) {
    fs.writeFileSync(path.join(to, `${name}.png`), bytes);
  }
  return found.map(({ name, bytes }) => ({ file: path.join(to, `${name}.png`), bytes: bytes.length }));
}

if (self && process.argv[1] && path.resolve(process.argv[1]) === self) {
  const repo = path.resolve(path.dirname(self), '..', '..');
  const from = path.resolve(process.env.E2E_OUT || path.join(repo, 'tests', 'e2e', 'output'));
  try {
    for (const { file, bytes } of copyShots(from, path.join(repo, 'client', 'marketplace', 'images'))) {
      console.log(`${path.relative(repo, file)}: ${(bytes / 1024).toFixed(0)} KB`);
    }
  } catch (error) {
    console.error(`marketplace-images: ${error.message}`);
    process.exit(1);
  }
}
