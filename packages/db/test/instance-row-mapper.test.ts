import { toInstance } from '../src/repositories/row-mappers';
import { testSecretBox } from '../../../test/support/test-secrets';

const box = testSecretBox();
const row = {
  id: '7d3f0c52-3f43-4a7e-9a53-2f6f8c1d9b10',
  account_id: '0f6b2a1e-6c1d-4f1e-8f0a-1b2c3d4e5f60',
  name: 'Billing',
  evolution_instance_name: 'billing01',
  connection_state: 'open',
  timezone: 'Africa/Nairobi',
  created_at: new Date('2026-11-30T08:00:00Z'),
  updated_at: new Date('2026-11-30T08:00:00Z'),
  evolution_token: box.seal('instances.evolution_token', 'EVOLUTION-TOKEN-1'),
  webhook_jwt_key: box.seal('instances.webhook_jwt_key', 'jwt-key-1'),
};

describe('An instance read from its row', () => {
  it('When nothing reads its secrets, then neither is decrypted; when they are read, then each is opened once', () => {
    const open = jest.spyOn(box, 'openNullable');
    const instance = toInstance(row, box);
    expect(instance.evolutionInstanceName).toBe('billing01');
    expect(open).not.toHaveBeenCalled();

    expect(instance.evolutionToken).toBe('EVOLUTION-TOKEN-1');
    expect(instance.webhookJwtKey).toBe('jwt-key-1');
    expect(instance.evolutionToken).toBe('EVOLUTION-TOKEN-1');
    expect(open).toHaveBeenCalledTimes(2);
    open.mockRestore();
  });

  it('When it is copied or compared, then its secrets come along in plain text', () => {
    const instance = toInstance(row, box);
    expect({ ...instance }).toMatchObject({
      evolutionToken: 'EVOLUTION-TOKEN-1',
      webhookJwtKey: 'jwt-key-1',
    });
    expect(Object.keys(instance)).toEqual(expect.arrayContaining(['evolutionToken', 'webhookJwtKey']));
  });
});
