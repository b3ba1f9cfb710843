// The domain's schema (src/tokens/tokens.ts), which npm run token:create parses with too.
export { ZTokenCreate as ZCreateInput, type TTokenCreate as TCreateInput } from "~/tokens/tokens";
