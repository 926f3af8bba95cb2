"""Demo data of the K-12 sub-platform: the plans, the demo content files and the seeder."""

from k12.seed.plan import PLANS, SeedPlan
from k12.seed.seeder import K12Seeder, seed_k12, seeded_counts

__all__ = ["PLANS", "K12Seeder", "SeedPlan", "seed_k12", "seeded_counts"]
