// Tells where `pnpm build` left the bundled contract.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = new URL("../dist/", import.meta.url);
const { info } = JSON.parse(readFileSync(new URL("openapi.json", dist), "utf8"));
console.log(`${info.title} ${info.version}, bundled:`);
for (const file of ["openapi.yaml", "openapi.json"]) {
  console.log(`  ${fileURLToPath(new URL(file, dist))}`);
}
