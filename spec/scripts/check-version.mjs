// Run by `prepublishOnly` (so by `changeset publish`, which publishes with `pnpm publish`), in the
// package's folder: the package must not reach npm under a version other than its contract's
// `info.version`. Not a `prepack` check: every pack between a contract change and its release
// (the tarball tests pack the workspace as it is) carries the next contract under the last
// release's version until `changeset version` applies the bump test/versioning.test.ts checks.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const read = (file) => JSON.parse(readFileSync(join(process.cwd(), file), "utf8"));
const { name, version } = read("package.json");
const contractVersion = read("dist/openapi.json").info.version;
if (version !== contractVersion) {
  console.error(
    `Not published: ${name} ${version} would carry the contract ${contractVersion} (info.version). ` +
      "Run `pnpm changeset version` first; the spec's changesets bump it to info.version.",
  );
  process.exit(1);
}
