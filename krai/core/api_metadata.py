"""What ``OPTIONS`` answers on the API.

A module of its own: DRF resolves DEFAULT_METADATA_CLASS while defining ``APIView``, and
``krai.core.api`` imports ``rest_framework.views`` — one module for both would import itself half-made.
"""

from rest_framework.metadata import SimpleMetadata


class Metadata(SimpleMetadata):
    """``OPTIONS`` names the view and what it renders and parses; the fields are in the OpenAPI schema.

    DRF's default also describes the POST/PUT serializer, which fails on views that pick their
    serializer per action (a crash on a harmless OPTIONS) and repeats what /api/schema/ says better.
    """

    def determine_metadata(self, request, view):
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "schema": "/api/schema/",
        }
