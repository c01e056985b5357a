"""loadwatch: a training-load monitor for runners.

Reads a runner's own activity files, measures the training patterns that lead to
overuse knee pain (mileage raised too fast, long-run spikes, long running streaks,
no rest, no cross-training) and explains each risk in plain words.
"""

__version__ = "0.1.0"
