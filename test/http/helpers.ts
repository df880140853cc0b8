import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Services } from '../../src/services.js';
import { testServices, type ServicesOptions } from '../harness/services.js';

export { D } from '../harness/families.js';

export interface RequestOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  payload?: object | string;
}

export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read reply bodies of every shape
  json(): any;
}

export interface ServerOptions extends ServicesOptions {
  /** Changes the services before the front is built on them (the front takes its parts then). */
  prepare?: (services: Services) => void;
}

/** autolist's HTTP front listening on a random loopback port, asked over real sockets. */
export class TestServer {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });
  app!: FastifyInstance;
  services!: Services;
  port = 0;

  constructor(private readonly options: ServerOptions = {}) {}

  static async start(options: ServerOptions = {}): Promise<TestServer> {
    return new TestServer(options).listen();
  }

  async listen(): Promise<this> {
    this.services = await testServices(this.options);
    this.options.prepare?.(this.services);
    this.app = await buildApp(this.services);
    await this.app.listen({ host: '127.0.0.1', port: 0 });
    this.port = (this.app.server.address() as AddressInfo).port;
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** One request, its path sent as written (no URL normalisation: `..` and `%2F` reach the server). */
  request(options: RequestOptions | string): Promise<Answer> {
    const { url, method = 'GET', headers = {}, payload } = typeof options === 'string' ? { url: options } : options;
    const body = payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
    const sent = { ...headers };
    if (typeof payload === 'object' && !Object.keys(sent).some((h) => h.toLowerCase() === 'content-type')) sent['content-type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: this.port, path: url, method, headers: sent, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.app.close();
    await this.services.close();
  }
}

/** A server for the tests of the enclosing describe: listening before them, closed after them. */
export function suiteServer(options: ServerOptions = {}): TestServer {
  const server = new TestServer(options);
  before(() => server.listen());
  after(() => server.close());
  return server;
}
