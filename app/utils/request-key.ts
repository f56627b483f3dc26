// The header server/middleware.ts stamps on every request it hands Remix (the request id, replacing
// any a client sent), so code that sees only a loader's copy of the request can tell which request
// it belongs to (auth.server.ts shares one session lookup per page with it; decision 036).
export const REQUEST_KEY_HEADER = 'x-hub-request-key'
