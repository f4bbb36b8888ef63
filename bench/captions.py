"""The benchmark's figures by name (``bench.plots`` draws them), each with the text a reader
without the picture gets; in their order in the report."""

CAPTIONS = {
    "throughput": "Pipeline throughput against corpus size, beside the floor, spaCy and the targets",
    "memory": "Peak memory of a build against corpus size",
    "peer": "Side by side at the largest corpus: articles a second, and recall of the six named places",
    "dashboard": "Dashboard latency and JS heap against the number of incidents",
    "profile": "Where an article's time goes at the largest corpus, by step, against what each target allows",
}
