import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { PROJECT_ROOT } from '../../config/config.js';

/** The explorer page's files: a top-level folder of static files, no build step. */
export const EXPLORER_DIR = join(PROJECT_ROOT, 'explorer');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Pages hold this comment where the shared header (`_header.html`: navigation, language switch, token form) goes. */
const HEADER_SLOT = '<!-- header -->';

/** The page runs only its own scripts and styles, and calls only this server. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Pages reached from mail only, at paths that carry a capability token (the moderation view:
 * `/moderation/TOKEN`, `/moderation/list/TOKEN`, which its script reads): served there alone,
 * linked from nothing, and without a referrer, so that the token goes nowhere but to this server's API.
 */
const CAPABILITY_PAGES: Readonly<Record<string, readonly string[]>> = { 'moderation.html': ['/moderation/:token', '/moderation/list/:token'] };

/** GET / (the explorer) and its files, read once at start; ETags let browsers revalidate cheaply. Files named `_*` are parts, not served. */
export const explorerRoutes: FastifyPluginAsync = async (app) => {
  const header = readFileSync(join(EXPLORER_DIR, '_header.html'), 'utf8');
  for (const name of readdirSync(EXPLORER_DIR).filter((n) => TYPES[extname(n)] !== undefined && !n.startsWith('_'))) {
    const file = readFileSync(join(EXPLORER_DIR, name));
    const body = extname(name) === '.html' ? Buffer.from(file.toString('utf8').replace(HEADER_SLOT, header)) : file;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    const type = TYPES[extname(name)] as string;
    // A page is also at its name without .html (/studio), and the index at /.
    const capability = CAPABILITY_PAGES[name];
    const paths = capability ?? (name === 'index.html' ? ['/', '/index.html'] : extname(name) === '.html' ? [`/${name}`, `/${name.slice(0, -'.html'.length)}`] : [`/${name}`]);
    for (const path of paths) {
      app.get(path, { schema: { hide: true } }, async (request, reply) => {
        reply.header('etag', etag).header('cache-control', 'no-cache').type(type);
        if (type.startsWith('text/html')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
        if (capability !== undefined) reply.header('referrer-policy', 'no-referrer');
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.send(body);
      });
    }
  }
};
