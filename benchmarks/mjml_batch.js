// Compile many MJML files in one Node process with the mjml package's API (no CLI, no
// beautifier): the fastest way to run the official MJML compiler over a batch.
//   node mjml_batch.js <folder with node_modules/mjml> <output folder> <file.mjml>...
'use strict';
const fs = require('fs');
const path = require('path');

const [prefix, outDir, ...files] = process.argv.slice(2);
const mjml2html = require(path.resolve(prefix, 'node_modules', 'mjml'));
let failed = 0;
for (const file of files) {
  const { html, errors } = mjml2html(fs.readFileSync(file, 'utf8'), { filePath: file });
  if (errors.some((e) => e.level === 'error')) failed += 1;
  fs.writeFileSync(path.join(outDir, path.basename(file, '.mjml') + '.html'), html);
}
if (failed) {
  console.error(`${failed} file(s) had MJML errors`);
  process.exitCode = 1;
}
