// Copies the Utrecht design system CSS (and the Noto Sans font it names) from node_modules into
// static/vendor/utrecht/, where Django's staticfiles serves it. No bundler, no CDN: see
// docs/decisions/0003-frontend-assets.md. Run with `npm run build` after `npm ci`.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const target = join(root, "static", "vendor", "utrecht");

// [source inside node_modules, destination inside static/vendor/utrecht]
const files = [
  // Every component's CSS (.utrecht-button, .utrecht-table, ...), one file.
  ["@utrecht/component-library-css/dist/index.css", "component-library.css"],
  // The design tokens as CSS custom properties on the `.utrecht-theme` class.
  ["@utrecht/design-tokens/dist/index.css", "design-tokens.css"],
  // The typeface the tokens name ("Noto Sans Variable"), self-hosted.
  ["@fontsource-variable/noto-sans/index.css", "noto-sans/index.css"],
];

function copy(source, destination) {
  const from = join(modules, source);
  if (!existsSync(from)) {
    throw new Error(`${source} ontbreekt; draai eerst \`npm ci\`.`);
  }
  const to = join(target, destination);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`static/vendor/utrecht/${destination}`);
}

// The font CSS refers to its .woff2 files with relative url()s; copy exactly those, so that
// ManifestStaticFilesStorage (collectstatic) finds every file a stylesheet refers to.
function relativeUrls(cssFile) {
  const css = readFileSync(join(modules, cssFile), "utf8");
  const urls = [...css.matchAll(/url\(\s*['"]?(\.\/[^'")]+)['"]?\s*\)/g)].map((match) => match[1]);
  return [...new Set(urls)];
}

rmSync(target, { recursive: true, force: true });
for (const [source, destination] of files) {
  copy(source, destination);
  for (const url of relativeUrls(source)) {
    copy(join(dirname(source), url), join(dirname(destination), url));
  }
}
