import { toApiError } from '../../packages/console/src/api/api-error';

describe("The console's reading of error answers", () => {
  it('When a problem answer comes, then its detail is shown and its code is kept for the page', () => {
    const error = toApiError(400, {
      type: 'https://api.example.test/api/problems/instance_not_connected',
      title: 'Instance not connected',
      status: 400,
      detail: 'Instance is not connected',
      code: 'instance_not_connected',
    });

    expect(error.message).toBe('Instance is not connected.');
    expect(error.code).toBe('instance_not_connected');
    expect(error.status).toBe(400);
  });

  it('When a problem lists field errors, then they are shown as sentences and the code is kept', () => {
    const error = toApiError(400, {
      status: 400,
      detail: 'name: must not be empty',
      code: 'validation_failed',
      errors: [
        { field: 'name', message: 'must not be empty' },
        { field: 'url', message: 'must be an https URL' },
      ],
    });

    expect(error.message).toBe('Some values need fixing.');
    expect(error.fieldProblems).toEqual(['Name must not be empty.', 'URL must be an https URL.']);
    expect(error.code).toBe('validation_failed');
  });

  it('When an answer carries no code, then the error has none and the status still explains it', () => {
    const error = toApiError(429, {});

    expect(error.code).toBeUndefined();
    expect(error.message).toBe('Too many requests. Wait a moment and try again.');
  });
});
