// Loads every entry and subpath that the installed @loops-contract packages export, as a CommonJS
// consumer does: with require(), which loads ES modules on Node 20.19+ unless they await at the top
// level. A YAML subpath is data no loader runs: it must resolve to a file. Prints what it loaded.
const { existsSync, readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const scope = join(__dirname, "node_modules", "@loops-contract");
const loaded = [];
for (const name of readdirSync(scope)) {
  const manifest = JSON.parse(readFileSync(join(scope, name, "package.json"), "utf8"));
  for (const subpath of Object.keys(manifest.exports)) {
    const specifier = `${manifest.name}${subpath.slice(1)}`;
    if (specifier.endsWith(".yaml")) {
      if (!existsSync(require.resolve(specifier))) throw new Error(`${specifier}: no such file`);
    } else if (Object.keys(require(specifier)).length === 0) {
      throw new Error(`${specifier} loaded with nothing in it`);
    }
    loaded.push(specifier);
  }
}
console.log(JSON.stringify(loaded));
