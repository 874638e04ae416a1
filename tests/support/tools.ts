// The real consumers the tests run (promtool, amtool), from Debian packages that .ci/install-packages installs. A
// missing tool fails the test with the package to install; it is never skipped.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

const runTool = async (tool: string, debianPackage: string, args: readonly string[], cwd?: string): Promise<string> => {
  try {
    const { stdout, stderr } = await run(tool, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error(`${tool} is not on PATH: install the Debian \`${debianPackage}\` package (\`apt-get install ${debianPackage}\`), as .ci/install-packages does`, { cause: e });
    }
    throw new Error(`${tool} ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
  }
};

/** promtool (Debian `prometheus`); its output, or an error carrying it. */
export const promtool = (args: readonly string[], cwd?: string): Promise<string> => runTool('promtool', 'prometheus', args, cwd);

/** amtool (Debian `prometheus-alertmanager`); its output, or an error carrying it. */
export const amtool = (args: readonly string[], cwd?: string): Promise<string> => runTool('amtool', 'prometheus-alertmanager', args, cwd);
