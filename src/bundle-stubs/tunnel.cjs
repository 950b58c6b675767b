/**
 * Bundle stand-in for `tunnel`, the proxy agent @actions/http-client imports at the top.
 * The real one is still bundled, but evaluated only when a proxy is in use: loading it
 * (with Node's assert module) costs every run a couple of milliseconds otherwise.
 * A CommonJS file because only require() can load a module lazily and synchronously.
 * Kept in place through tsconfig "paths".
 */
"use strict";

let real;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load is the point
const tunnel = () => (real ??= require("tunnel/lib/tunnel.js"));

exports.httpOverHttp = (options) => tunnel().httpOverHttp(options);
exports.httpsOverHttp = (options) => tunnel().httpsOverHttp(options);
exports.httpOverHttps = (options) => tunnel().httpOverHttps(options);
exports.httpsOverHttps = (options) => tunnel().httpsOverHttps(options);
