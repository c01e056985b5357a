"""Issue 17: ten ``ignore``/``confirm`` at once each land in loadwatch.toml, none lost."""

from __future__ import annotations

import multiprocessing
import time

from loadwatch import config

START_DELAY_S = 1.5


def _settle(args):
    folder, index, start = args
    time.sleep(max(0.0, start - time.time()))  # all ten read the file at about the same time
    if index % 3 == 2:
        config.settle_activities(folder, confirm=[f"strava:{index}"])
    else:
        config.settle_activities(folder, ignore={f"strava:{index}": f"reason {index}"})
    return index


def test_ten_settles_at_once_all_land(tmp_path):
    folder = tmp_path / "ann"
    folder.mkdir()
    (folder / "loadwatch.toml").write_text('# my settings\n[athlete]\nname = "Ann"\n')
    start = time.time() + START_DELAY_S
    with multiprocessing.get_context("fork").Pool(10) as pool:
        done = pool.map(_settle, [(folder, i, start) for i in range(10)])
    assert sorted(done) == list(range(10))
    cfg = config.load(folder / "loadwatch.toml")
    assert cfg.ignore == {f"strava:{i}": f"reason {i}" for i in range(10) if i % 3 != 2}
    assert sorted(cfg.confirm) == sorted(f"strava:{i}" for i in range(10) if i % 3 == 2)
    assert cfg.athlete.name == "Ann"
    assert (folder / "loadwatch.toml").read_text().startswith("# my settings\n")
