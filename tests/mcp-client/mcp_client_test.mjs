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
//   TEST_CURRENT_DATE, TEST_CURRENT_TIME
//                       Juli's injected current_date (YYYY-MM-DD) / current_time (HH:MM:SS);
//                       default: now in UTC. The e2e test pins them (the fakes' "now").
//   JULI_EXPECT_FIND_TITLE
//                       when set, find_and_analyze (keywords = its first word) must return an
//                       item with this title (the e2e test seeds one).
//
// Every tool call uses structured arguments (deterministic, no model call) except one
// natural-language manage_productivity call, which needs a model: the e2e test scripts the fake
// OpenAI's answer for it; against a real deployment the real model interprets it.
// Against a real account these tests create one task ("MCP check task") and one event ("Sync",
// inviting ana@example.com) at 14:00 on the day after current_date.
//   JULI_BAD_ORIGIN     the Origin that must be refused (default https://evil.example).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';

const SUPPORTED = ['2025-11-25', '2025-06-18', '2025-03-26'];
const NATURAL_LANGUAGE_TOOLS = ['manage_productivity', 'find_and_analyze', 'check_availability', 'optimize_schedule'];
const EXPLICIT_TOOLS = [
  'list_events', 'list_tasks', 'find_free_slots', 'create_task', 'update_task', 'complete_task',
  'delete_task', 'create_event', 'update_event', 'cancel_event', 'apply_schedule_optimization',
];
const TOOL_NAMES = [...NATURAL_LANGUAGE_TOOLS, ...EXPLICIT_TOOLS];
const READ_ONLY = new Set([
  'find_and_analyze', 'check_availability', 'optimize_schedule', 'list_events', 'list_tasks', 'find_free_slots',
]);
// destructiveHint / idempotentHint of the tools that write.
const WRITE_HINTS = {
  manage_productivity: [true, false],
  create_task: [false, false],
  update_task: [true, true],
  complete_task: [true, true],
  delete_task: [true, true],
  create_event: [false, false],
  update_event: [true, true],
  cancel_event: [true, true],
  apply_schedule_optimization: [true, false],
};

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
    current_date: process.env.TEST_CURRENT_DATE || now.toISOString().slice(0, 10),
    current_time: process.env.TEST_CURRENT_TIME || now.toISOString().slice(11, 19),
  };
}

function assertNoCredentials(result, label) {
  const text = JSON.stringify(result);
  for (const secret of Object.values(credentialHeaders())) {
    assert.ok(!text.includes(secret), `${label}: no credential echoed`);
  }
}

function assertSuccess(result, label) {
  assertToolResultShape(result, label);
  assert.equal(result.isError, false, `${label}: ${result.content[0].text}`);
  assert.notEqual(result.structuredContent.success, false, `${label}: ${result.content[0].text}`);
  assert.notEqual(result.structuredContent.needs_setup, true, `${label}: ${result.content[0].text}`);
  assertNoCredentials(result, label);
}

/// The day after current_date, YYYY-MM-DD.
function tomorrow() {
  const d = new Date(`${context().current_date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
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

  test('tools/list returns the four tools and the explicit ones with titles, schemas and annotations', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), TOOL_NAMES);
    assert.ok(tools.length <= 15, 'at most 15 tools');
    for (const t of tools) {
      assert.ok(t.title, `${t.name}: title`);
      assert.ok(t.description, `${t.name}: description`);
      assert.equal(t.inputSchema.type, 'object', `${t.name}: inputSchema`);
      assert.equal(t.outputSchema?.type, 'object', `${t.name}: outputSchema`);
      for (const k of ['$ref', 'anyOf', 'oneOf', 'allOf']) {
        assert.equal(t.inputSchema[k], undefined, `${t.name}: no top-level ${k}`);
      }
      assert.equal(t.annotations.readOnlyHint, READ_ONLY.has(t.name), `${t.name}: readOnlyHint`);
      assert.equal(t.annotations.openWorldHint, true, `${t.name}: openWorldHint`);
      if (READ_ONLY.has(t.name)) {
        assert.equal(t.annotations.destructiveHint, false, `${t.name}: destructiveHint`);
      } else {
        const [destructive, idempotent] = WRITE_HINTS[t.name];
        assert.equal(t.annotations.destructiveHint, destructive, `${t.name}: destructiveHint`);
        assert.equal(t.annotations.idempotentHint, idempotent, `${t.name}: idempotentHint`);
      }
    }
  });

  test('tools/call manage_productivity (structured) creates a task', async () => {
    const result = await client.callTool({
      name: 'manage_productivity',
      arguments: { action: 'create_task', title: 'MCP check task', duration_minutes: 30, ...context() },
    });
    assertSuccess(result, 'manage_productivity');
    assert.equal(result.structuredContent.action, 'created');
    assert.equal(result.structuredContent.provider, 'reclaim');
    assert.equal(result.structuredContent.data.title, 'MCP check task');
  });

  test('tools/call manage_productivity with a natural-language query (one model call)', async () => {
    const result = await client.callTool({
      name: 'manage_productivity',
      arguments: { query: 'Create a task to review the Q4 budget by Friday, about 2 hours, high priority', ...context() },
    });
    assertSuccess(result, 'manage_productivity NL');
    assert.equal(result.structuredContent.action, 'created');
    assert.match(result.structuredContent.data.title, /Q4 budget/i);
  });

  test('tools/call find_and_analyze (structured keywords) finds items', async () => {
    const expected = process.env.JULI_EXPECT_FIND_TITLE;
    const keyword = expected ? expected.split(/\s+/)[0] : 'budget';
    const result = await client.callTool({
      name: 'find_and_analyze',
      arguments: { keywords: [keyword], scope: 'both', ...context() },
    });
    assertSuccess(result, 'find_and_analyze');
    assert.equal(result.structuredContent.action, 'found');
    const data = result.structuredContent.data;
    assert.ok(Array.isArray(data.tasks) && Array.isArray(data.events), 'tasks and events lists');
    if (expected) {
      const titles = [...data.tasks, ...data.events].map((x) => x.title);
      assert.ok(titles.includes(expected), `found ${JSON.stringify(titles)}`);
    }
  });

  test('tools/call check_availability (structured time) answers available + conflicts', async () => {
    const result = await client.callTool({
      name: 'check_availability',
      arguments: { start: `${tomorrow()}T15:00`, duration_minutes: 30, ...context() },
    });
    assertSuccess(result, 'check_availability');
    assert.equal(typeof result.structuredContent.available, 'boolean');
    assert.ok(Array.isArray(result.structuredContent.conflicts), 'conflicts');
    assert.equal(result.structuredContent.requested_time.duration_minutes, 30);
  });

  test('tools/call optimize_schedule (structured range) analyses the week', async () => {
    const result = await client.callTool({
      name: 'optimize_schedule',
      arguments: { request: 'Analyze my schedule this week', range: 'this week', ...context() },
    });
    assertSuccess(result, 'optimize_schedule');
    assert.equal(typeof result.structuredContent.metrics, 'object');
    assert.ok(Array.isArray(result.structuredContent.suggestions), 'suggestions');
  });

  // The SDK validates structuredContent against each tool's outputSchema in callTool.
  test('explicit list_events and list_tasks answer structured results without a model', async () => {
    const events = await client.callTool({ name: 'list_events', arguments: { time_range: 'this week', ...context() } });
    assertSuccess(events, 'list_events');
    assert.equal(events.structuredContent.action, 'found');
    assert.ok(Array.isArray(events.structuredContent.data.events), 'events list');
    assert.deepEqual(JSON.parse(events.content[1].text), events.structuredContent, 'text mirrors structuredContent');
    const tasks = await client.callTool({ name: 'list_tasks', arguments: { keywords: ['budget'], ...context() } });
    assertSuccess(tasks, 'list_tasks');
    assert.ok(Array.isArray(tasks.structuredContent.data.tasks), 'tasks list');
  });

  test('explicit find_free_slots answers ranked slots', async () => {
    const result = await client.callTool({
      name: 'find_free_slots',
      arguments: { duration_minutes: 60, range: 'next 3 days', ...context() },
    });
    assertSuccess(result, 'find_free_slots');
    assert.ok(Array.isArray(result.structuredContent.slots), 'slots');
  });

  test('explicit create_task creates a task', async () => {
    const result = await client.callTool({
      name: 'create_task',
      arguments: { title: 'MCP explicit task', duration_minutes: 45, ...context() },
    });
    assertSuccess(result, 'create_task');
    assert.equal(result.structuredContent.action, 'created');
    assert.equal(result.structuredContent.data.title, 'MCP explicit task');
  });

  test('explicit create_event without its start is an error result', async () => {
    const result = await client.callTool({ name: 'create_event', arguments: { title: 'No start', ...context() } });
    assertToolResultShape(result, 'create_event without start');
    assert.equal(result.isError, true);
    assert.match(result.content[0].text, /start/);
  });

  test('optimize_schedule only reads on MCP: approvals go to apply_schedule_optimization', async () => {
    const result = await client.callTool({
      name: 'optimize_schedule',
      arguments: { range: 'this week', approved: true, action_type: 'schedule_optimization', action_data: {}, ...context() },
    });
    assertToolResultShape(result, 'optimize_schedule approval');
    assert.equal(result.isError, true);
    assert.match(result.content[0].text, /apply_schedule_optimization/);
  });

  test('bad arguments are an error result (isError), not a protocol error', async () => {
    const result = await client.callTool({
      name: 'check_availability',
      arguments: { start: 'tomorrow at 3pm', duration_minutes: 30, user_timezone: 'Mars/Olympus' },
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

  test('approval round trip through tools/call', async () => {
    const args = {
      action: 'create_event',
      title: 'Sync',
      start: `${tomorrow()}T14:00`,
      participants: ['ana@example.com'],
      ...context(),
    };
    const first = await client.callTool({ name: 'manage_productivity', arguments: args });
    assertToolResultShape(first, 'approval preview');
    assertNoCredentials(first, 'approval preview');
    const env = first.structuredContent;
    assert.equal(first.isError, false, 'a preview is not an error');
    assert.equal(env.needs_approval, true, `needs_approval: ${first.content[0].text}`);
    assert.equal(env.action_type, 'event_create_with_participants');
    assert.equal(typeof env.action_data, 'object');
    assert.ok(env.preview?.summary, 'preview summary');
    assert.equal(env.preview.details.invitees[0].email, 'ana@example.com');

    const approved = { ...args, approved: true, action_type: env.action_type, action_data: env.action_data };
    const second = await client.callTool({ name: 'manage_productivity', arguments: approved });
    assertSuccess(second, 'approved call');
    assert.notEqual(second.structuredContent.needs_approval, true, 'approval executes instead of asking again');
    assert.equal(second.structuredContent.action, 'created');
    const emails = second.structuredContent.data.participants.map((p) => p.email);
    assert.deepEqual(emails, ['ana@example.com']);

    // The same approval again executes nothing.
    const third = await client.callTool({ name: 'manage_productivity', arguments: approved });
    assertToolResultShape(third, 'replayed approval');
    assert.equal(third.structuredContent.replayed, true, `replayed: ${third.content[0].text}`);
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
