"""``loadwatch sync``: activities that arrive by themselves, written into the athlete folder.

A source layer beside :mod:`loadwatch.importers`: it fetches from the service an
athlete's ``[sync]`` settings name and writes plain files into the athlete folder,
which the importers then read like any other file, so a report stays reproducible
offline and the folder can be moved. It never imports the judging or output layers.

- :mod:`.settings`: the ``[sync]`` table and the API key;
- :mod:`.client`: the intervals.icu HTTP client (timeouts, 429 with ``Retry-After``);
- :mod:`.store`: the synced store's file format and its merge (pure);
- :mod:`.cursor`: how far each athlete was synced, in the user state folder;
- :mod:`.intervals`: one athlete's intervals.icu sync;
- :mod:`.watch`: ``service = "folder"``, copying new files from a mounted watch;
- :mod:`.run`: one athlete or a squad, athlete by athlete.
"""
