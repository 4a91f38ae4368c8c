// The delivery delay a size-or-time buffer should show: Poisson records at rate λ, a buffer that
// opens with its first record and is flushed at τ = min(T, the arrival of its N-th record). Flushes
// are renewal cycles and a record's wait is the buffer's occupancy integrated over the cycle, so
//   E[wait in a cycle] = ∫₀ᵀ Σ_{k=0}^{N−2} (1+k)·e^(−λt)(λt)^k/k! dt = Σ_{k=0}^{N−2} (1+k)/λ · P(Pois(λT) ≥ k+1)
//   E[records per flush] = 1 + E[min(Pois(λT), N−1)] = 1 + Σ_{m=1}^{N−1} P(Pois(λT) ≥ m)
// and the mean delay per record is their ratio; flushes (S3 PUTs) come at λ / E[records per flush].
// Limits: time only, T(1 + λT/2)/(1 + λT); size only, (N − 1)/(2λ).
#pragma once

namespace archlab {

struct BufferTheory {
  double mean_delay_s = 0;
  double records_per_flush = 1;
  double flushes_per_s = 0;
};
BufferTheory size_or_time_buffer(double rate_per_s, long records_to_fill, double interval_s);

}  // namespace archlab
