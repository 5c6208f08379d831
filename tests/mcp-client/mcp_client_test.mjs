// Conformance check of POST /mcp with the official MCP TypeScript SDK (Client +
// StreamableHTTPClientTransport), run against a running juli-calendar (e2e host or `spin up`).
//
//   cd tests/mcp-client && npm ci && JULI_URL=http://127.0.0.1:3000 npm test
//
// Environment:
//   JULI_URL            base URL of the component (".../mcp" is appended unless already there).
//                       Unset: every test is skipped (prints SKIP) so the file can be loaded anywhere.
//   RECLAIM_API_KEY, NYLAS_API_KEY, NYLAS_GRANT_ID
//                       sent as X-User-Credential-* headers when set (fake or real values).
//   JULI_EXTRA_HEADERS  optional JSON object of further headers sent on every request.
//   TEST_USER_TIMEZONE  user_timezone passed to the tools (default UTC).
//   JULI_BAD_ORIGIN     the Origin that must be refused (default https://evil.example).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';

const SUPPORTED = ['2025-11-25', '2025-06-18', '2025-03-26'];
const TOOL_NAMES = ['manage_productivity', 'find_and_analyze', 'check_availability', 'optimize_schedule'];
const READ_ONLY = new Set(['find_and_analyze', 'check_availability']);

const base = process.env.JULI_URL?.trim();
const skipAll = !base;
if (skipAll) {
  console.log('SKIP: JULI_URL is not set; nothing to test against.');
}
const mcpUrl = base ? new URL(base.replace(/\/+$/, '').endsWith('/mcp') ? base : `${base.replace(/\/+$/, '')}/mcp`) : null;
const timezone = process.env.TEST_USER_TIMEZONE || 'UTC';

function credentialHeaders() {
  const headers = {};
  for (const key of ['RECLAIM_API_KEY', 'NYLAS_API_KEY', 'NYLAS_GRANT_ID']) {
    if (process.env[key]) headers[`X-User-Credential-${key}`] = process.env[key];
  }
  if (process.env.JULI_EXTRA_HEADERS) Object.assign(headers, JSON.parse(process.env.JULI_EXTRA_HEADERS));
  return headers;
}

function context() {
  const now = new Date();
  return {
    user_timezone: timezone,
    current_date: now.toISOString().slice(0, 10),
    current_time: now.toISOString().slice(11, 19),
  };
}

function assertToolResultShape(result, label) {
  assert.ok(Array.isArray(result.content) && result.content.length >= 1, `${label}: content`);
  assert.equal(result.content[0].type, 'text', `${label}: first block is text`);
  assert.ok(result.content[0].text.length > 0, `${label}: readable text`);
  assert.equal(typeof result.structuredContent, 'object', `${label}: structuredContent`);
  assert.notEqual(result.structuredContent, null, `${label}: structuredContent not null`);
  assert.equal(typeof result.isError, 'boolean', `${label}: isError`);
}

describe('juli-calendar over MCP (official SDK client)', { skip: skipAll }, () => {
  let client;
  let transport;

  before(async () => {
    transport = new StreamableHTTPClientTransport(mcpUrl, {
      requestInit: { headers: credentialHeaders() },
    });
    client = new Client({ name: 'juli-calendar-ci', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
  });

  test('initialize negotiates a supported revision and describes the server', () => {
    const info = client.getServerVersion();
    assert.equal(info.name, 'juli-calendar');
    assert.ok(info.version, 'server version');
    assert.ok(SUPPORTED.includes(transport.protocolVersion), `negotiated ${transport.protocolVersion}`);
    assert.deepEqual(client.getServerCapabilities().tools, { listChanged: false });
    assert.ok(client.getInstructions()?.includes('needs_approval'));
    assert.equal(transport.sessionId, undefined, 'stateless: no Mcp-Session-Id');
  });

  test('ping', async () => {
    assert.deepEqual(await client.ping(), {});
  });

  test('tools/list returns the four tools with titles, schemas and annotations', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), TOOL_NAMES);
    for (const t of tools) {
      assert.ok(t.title, `${t.name}: title`);
      assert.ok(t.description, `${t.name}: description`);
      assert.equal(t.inputSchema.type, 'object', `${t.name}: inputSchema`);
      for (const k of ['$ref', 'anyOf', 'oneOf', 'allOf']) {
        assert.equal(t.inputSchema[k], undefined, `${t.name}: no top-level ${k}`);
      }
      assert.equal(t.annotations.readOnlyHint, READ_ONLY.has(t.name), `${t.name}: readOnlyHint`);
      assert.equal(t.annotations.openWorldHint, true, `${t.name}: openWorldHint`);
      if (!READ_ONLY.has(t.name)) {
        assert.equal(t.annotations.destructiveHint, true, `${t.name}: destructiveHint`);
        assert.equal(t.annotations.idempotentHint, false, `${t.name}: idempotentHint`);
      }
    }
  });

  const calls = {
    manage_productivity: { query: 'What can you do for my tasks?' },
    find_and_analyze: { query: "What's on my calendar today?", scope: 'both' },
    check_availability: { query: 'Am I free tomorrow at 3pm for 30 minutes?', duration_minutes: 30 },
    optimize_schedule: { request: 'Analyze my schedule this week' },
  };
  for (const [name, args] of Object.entries(calls)) {
    test(`tools/call ${name} answers a tool result with text and the structured envelope`, async () => {
      const result = await client.callTool({ name, arguments: { ...args, ...context() } });
      assertToolResultShape(result, name);
      for (const secret of Object.values(credentialHeaders())) {
        assert.ok(!JSON.stringify(result).includes(secret), `${name}: no credential echoed`);
      }
    });
  }

  test('bad arguments are an error result (isError), not a protocol error', async () => {
    const result = await client.callTool({
      name: 'check_availability',
      arguments: { query: 'Am I free at 3pm?', user_timezone: 'Mars/Olympus' },
    });
    assertToolResultShape(result, 'bad timezone');
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent.success, false);
    assert.match(result.content[0].text, /Mars\/Olympus/);
  });

  test('an unknown tool is a protocol error -32602', async () => {
    await assert.rejects(
      client.callTool({ name: 'no_such_tool', arguments: {} }),
      (err) => err instanceof McpError && err.code === ErrorCode.InvalidParams,
    );
  });

  test('approval round trip through tools/call', async (t) => {
    const args = {
      query: 'Schedule a 30 minute meeting called MCP approval check with sarah@example.com tomorrow at 2pm',
      ...context(),
    };
    const first = await client.callTool({ name: 'manage_productivity', arguments: args });
    assertToolResultShape(first, 'approval preview');
    const env = first.structuredContent;
    if (env.needs_approval !== true) {
      console.log(`SKIP: manage_productivity did not ask for approval here (${first.content[0].text})`);
      t.skip('tool did not produce needs_approval');
      return;
    }
    assert.equal(first.isError, false, 'a preview is not an error');
    assert.equal(typeof env.action_type, 'string');
    assert.equal(typeof env.action_data, 'object');
    assert.ok(env.preview?.summary, 'preview summary');
    const second = await client.callTool({
      name: 'manage_productivity',
      arguments: { ...args, approved: true, action_type: env.action_type, action_data: env.action_data },
    });
    assertToolResultShape(second, 'approved call');
    assert.notEqual(second.structuredContent.needs_approval, true, 'approval executes instead of asking again');
    assert.equal(second.isError, false, `approved call failed: ${second.content[0].text}`);
  });

  test('a wrong Origin is refused with 403', async () => {
    const response = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        origin: process.env.JULI_BAD_ORIGIN || 'https://evil.example',
        ...credentialHeaders(),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    assert.equal(response.status, 403);
  });

  test('GET /mcp is 405 with Allow: POST (no SSE stream)', async () => {
    const response = await fetch(mcpUrl, { headers: { accept: 'text/event-stream' } });
    assert.equal(response.status, 405);
    assert.match(response.headers.get('allow') ?? '', /POST/);
  });
});
