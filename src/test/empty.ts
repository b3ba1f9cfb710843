// Stands in for `server-only` under vitest and the command-line tools (no React server there).
export {};
