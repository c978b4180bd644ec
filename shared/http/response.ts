export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function binary(statusCode: number, data: Uint8Array, contentType: string, filename?: string): HttpResponse {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (filename) headers['content-disposition'] = `attachment; filename="${filename}"`;
  return { statusCode, headers, body: Buffer.from(data).toString('base64'), isBase64Encoded: true };
}

export function text(statusCode: number, body: string, contentType: string, filename?: string): HttpResponse {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (filename) headers['content-disposition'] = `attachment; filename="${filename}"`;
  return { statusCode, headers, body };
}
