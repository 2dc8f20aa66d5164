"""Importers: one module per source format (FORMATS.md), found by content, never by name.

``IMPORTER_CLASSES`` is ordered from the most specific format to the most general, so that
detection picks, for instance, a LiteLLM spend log before the generic gateway log.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from importers.base import Importer
from importers.sniff import FileSample, sample_file

IMPORTER_CLASSES: tuple[str, ...] = (
    "importers.provider_invoice_pdf:ProviderInvoicePdfImporter",
    "importers.anthropic_analytics:AnalyticsUserCostReportImporter",
    "importers.anthropic_analytics:AnalyticsUserUsageReportImporter",
    "importers.anthropic_analytics:AnalyticsCostReportImporter",
    "importers.anthropic_analytics:AnalyticsUsageReportImporter",
    "importers.anthropic_cost:AnthropicCostReportImporter",
    "importers.anthropic_usage:AnthropicUsageReportImporter",
    "importers.claude_code:ClaudeCodeAnalyticsImporter",
    "importers.litellm:LiteLLMJsonlImporter",
    "importers.gateway:GatewayJsonlImporter",
    "importers.console_cost:ConsoleCostCsvImporter",
    "importers.console_usage:ConsoleUsageCsvImporter",
    "importers.litellm:LiteLLMCsvImporter",
    "importers.focus:FocusCsvImporter",
    "importers.provider_invoice:ProviderInvoiceCsvImporter",
    "importers.gateway:GatewayCsvImporter",
)

_registry: list[Importer] | None = None


def all_importers() -> list[Importer]:
    """Every importer, in detection order."""
    global _registry
    if _registry is None:
        loaded = []
        for dotted in IMPORTER_CLASSES:
            module_name, class_name = dotted.split(":")
            loaded.append(getattr(import_module(module_name), class_name)())
        _registry = loaded
    return _registry


def importer_by_id(format_id: str) -> Importer | None:
    for importer in all_importers():
        if importer.id == format_id:
            return importer
    return None


def detect(sample: FileSample) -> Importer | None:
    """The first importer whose ``identify`` accepts the sample, or ``None``."""
    for importer in all_importers():
        if importer.identify(sample):
            return importer
    return None


def detect_path(path: Path) -> tuple[FileSample, Importer | None]:
    sample = sample_file(path)
    return sample, detect(sample)
