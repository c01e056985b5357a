"""Renderers: the timeline, the weekly report (text, Markdown, HTML, JSON) and its charts.

:mod:`.build` turns an athlete's data into the report dict (:mod:`.model`) that
every renderer reads.
"""
