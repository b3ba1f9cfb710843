// Lets command-line scripts (tsx) import the tRPC routers: outside Next.js's react-server build,
// `server-only` throws on import by design, so resolve it to an empty module (as vitest does).
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
