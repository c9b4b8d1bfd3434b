/**
 * Token costs, per token on one core: the gateway → subgraph token signed and verified with node:crypto
 * (ours: body hash and replay check included) against the same token with jose, the alternative
 * docs/decisions/0009 turned down; and the analyst's token (demo identity provider, jose), for scale. No
 * I/O but the analyst keys' folder: the figures are the tokens', in interleaved rounds (bench/tokenCost.ts).
 */
import { interleave, median, ratio, type Scenario } from '../harness';
import {
  measureAnalystTokenCost,
  measureGatewayTokenCost,
  measureJoseGatewayTokenCost,
  type TokenCost,
} from '../tokenCost';

export const tokens: Scenario = {
  name: 'tokens',
  description:
    'gateway token sign + verify with node:crypto against jose (docs/decisions/0009); analyst tokens',
  timeoutS: 120,
  async run(ctx) {
    // docs/decisions/0009 measured seven alternating rounds; --quick checks that it runs.
    const rounds = ctx.quick ? 1 : 7;
    const scale = ctx.quick ? 0.05 : 1;
    const results = await interleave<TokenCost>(
      {
        node: () => measureGatewayTokenCost({ iterations: Math.ceil(5_000 * scale) }),
        jose: () => measureJoseGatewayTokenCost({ iterations: Math.ceil(2_000 * scale) }),
        analyst: () => measureAnalystTokenCost({ iterations: Math.ceil(1_000 * scale) }),
      },
      rounds,
      ctx.signal,
    );
    const of = (variant: string, pick: (cost: TokenCost) => number): number =>
      median(results[variant]!.map(pick));
    const figures = (['node', 'jose', 'analyst'] as const).flatMap((variant) => {
      const label = {
        node: 'gateway token, node:crypto',
        jose: 'gateway token, jose',
        analyst: 'analyst token',
      }[variant];
      return [
        { name: `${label}: sign`, value: of(variant, (cost) => cost.signMicros), unit: 'µs' },
        { name: `${label}: verify`, value: of(variant, (cost) => cost.verifyMicros), unit: 'µs' },
        { name: `${label}: sign + verify`, value: of(variant, (cost) => cost.pairsPerSecond), unit: '/s' },
      ];
    });
    return {
      figures,
      ratios: [
        ratio(
          'gateway token sign µs, node:crypto / jose',
          of('node', (cost) => cost.signMicros),
          of('jose', (cost) => cost.signMicros),
        ),
        ratio(
          'gateway token sign + verify per second, node:crypto / jose',
          of('node', (cost) => cost.pairsPerSecond),
          of('jose', (cost) => cost.pairsPerSecond),
        ),
      ],
    };
  },
};
