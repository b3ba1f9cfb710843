import { listTokens } from "~/tokens/tokens";

/** Every token, newest first (revoked ones marked); never the token itself. */
export const listHandler = () => listTokens();
