import { describe, expect, it } from '@jest/globals';
import { SettingError } from '@aeo/config';
import { loadSimulatorSettings, type SimulatorOptions } from './settings.js';

const PARTNERS = ['cn', 'eaeu', 'kr', 'tr'];
const valid: SimulatorOptions = {
  partner: 'kr',
  amqp: 'amqp://guest:guest@127.0.0.1:5672',
  prefix: 'test.e2e.ab12',
  gatewayJwks: 'http://127.0.0.1:8080/.well-known/jwks.json',
  port: '0',
  registerSize: '250',
};

describe('partner simulator settings', () => {
  it('turns valid options into typed settings', () => {
    expect(loadSimulatorSettings(valid, PARTNERS)).toEqual({
      partner: 'kr',
      amqpUrl: valid.amqp,
      prefix: 'test.e2e.ab12',
      gatewayJwks: valid.gatewayJwks,
      port: 0,
      registerSize: 250,
    });
  });

  it.each([
    ['partner', { partner: 'xx' }, "--partner: expected one of cn, eaeu, kr, tr, got 'xx'"],
    ['register size', { registerSize: 'many' }, "--register-size: expected an integer from 1 to 1000000, got 'many'"],
    ['port', { port: '70000' }, "--port: expected an integer from 0 to 65535, got '70000'"],
    ['broker URL', { amqp: 'http://user:pw@host' }, "--amqp: expected a URL starting amqp: or amqps:, got 'http://user:***@host'"],
    ['prefix', { prefix: 'a b' }, '--prefix: expected a topology prefix'],
  ])('refuses a wrong %s, naming the option (and never echoing a password)', (_what, override, message) => {
    const attempt = () => loadSimulatorSettings({ ...valid, ...override }, PARTNERS);
    expect(attempt).toThrow(SettingError);
    expect(attempt).toThrow(message);
  });
});
