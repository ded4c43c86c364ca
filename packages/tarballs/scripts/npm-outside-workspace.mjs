import { execFileSync } from "node:child_process";

/**
 * Runs npm in `cwd` as a user's shell would: without the npm_/pnpm_ variables of the workspace
 * script that runs this, which would configure it. Its output is kept back; its errors are not.
 */
export function npmOutsideWorkspace(args, cwd) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)),
  );
  execFileSync("npm", args, { cwd, env, stdio: ["ignore", "ignore", "inherit"] });
}
