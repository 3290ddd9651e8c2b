import { connect } from 'node:net';

// Exits 0 when a Redis answers PING at the URL given (default redis://127.0.0.1:6379), else 1.
const url = new URL(process.argv[2] || 'redis://127.0.0.1:6379');
const socket = connect(Number(url.port) || 6379, url.hostname);
socket.setTimeout(1000);
socket.on('connect', () => socket.write('PING\r\n'));
socket.on('data', (data) => process.exit(String(data).startsWith('+PONG') ? 0 : 1));
socket.on('error', () => process.exit(1));
socket.on('timeout', () => process.exit(1));
