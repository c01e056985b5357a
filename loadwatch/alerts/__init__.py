"""E-mail alerts (and push notifications) for new risk flags, in the order a run goes through them.

1. :mod:`~loadwatch.alerts.settings`: the ``[smtp]`` settings and the password.
2. :mod:`~loadwatch.alerts.collect`: each athlete's active flags, chart and recipients.
3. :mod:`~loadwatch.alerts.state`: what each recipient was told (locked, kept apart
   from the parse cache in the user's state folder).
4. :mod:`~loadwatch.alerts.run`: what is new for whom, one e-mail per group of
   recipients, the state written around each send.
5. :mod:`~loadwatch.alerts.compose`: the e-mail itself (text, HTML, charts).
6. :mod:`~loadwatch.alerts.send`: the SMTP exchange, bounded in time, never twice.
7. :mod:`~loadwatch.alerts.push`: the apprise URLs of ``[alert] notify`` (checked, masked in
   every message), the short text for a phone, the sending.
"""
