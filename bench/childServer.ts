// Waits for a benchmark's child server to print the URL it serves (`listening|serving http://…`).
import type { ChildProcess } from "node:child_process";

export function waitForServerUrl(child: ChildProcess, label: string, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${label} did not start:\n${out}\n${stderr()}`)), timeoutMs);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /(?:listening|serving) (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code}):\n${out}\n${stderr()}`));
    });
  });
}
