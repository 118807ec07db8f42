import { classifyTransportFailure } from './classify-transport-failure';

describe('classifyTransportFailure', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
    'When the connection could not be made (%s), then the outcome is transient',
    (code) => {
      expect(
        classifyTransportFailure({ code, message: code, requestWritten: false, timedOut: false }).kind,
      ).toBe('transient');
    },
  );

  it('When the connection reset before the request was written, then the outcome is transient', () => {
    expect(
      classifyTransportFailure({
        code: 'ECONNRESET',
        message: 'read ECONNRESET',
        requestWritten: false,
        timedOut: false,
      }),
    ).toEqual({ kind: 'transient', reason: 'Connection failed before the request was sent (ECONNRESET)' });
  });

  it('When the deadline passed before the request was written (connect timeout), then the outcome is transient', () => {
    expect(
      classifyTransportFailure({
        code: 'ETIMEDOUT',
        message: 'timeout',
        requestWritten: false,
        timedOut: true,
      }).kind,
    ).toBe('transient');
  });

  it('When the connection reset after the request was written, then the outcome is ambiguous', () => {
    expect(
      classifyTransportFailure({
        code: 'ECONNRESET',
        message: 'socket hang up',
        requestWritten: true,
        timedOut: false,
      }),
    ).toEqual({ kind: 'ambiguous', reason: 'Connection lost after the request was sent (ECONNRESET)' });
  });

  it('When the deadline passed after the request was written, then the outcome is ambiguous', () => {
    expect(
      classifyTransportFailure({
        code: 'ETIMEDOUT',
        message: 'timeout',
        requestWritten: true,
        timedOut: true,
      }).kind,
    ).toBe('ambiguous');
  });

  it('When the response was cut off after its status line, then the outcome is ambiguous', () => {
    expect(
      classifyTransportFailure({
        code: 'ERR_BAD_RESPONSE',
        message: 'aborted',
        requestWritten: true,
        timedOut: false,
        responseStarted: true,
      }).kind,
    ).toBe('ambiguous');
  });

  it('When axios rejected the settings before any request, then the outcome is a permanent configuration error', () => {
    expect(
      classifyTransportFailure({
        code: 'ERR_INVALID_URL',
        message: 'Invalid URL',
        requestWritten: false,
        timedOut: false,
      }),
    ).toMatchObject({ kind: 'permanent', configuration: true });
  });
});
