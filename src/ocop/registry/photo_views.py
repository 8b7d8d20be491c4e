"""Product photos: upload (officers with change rights), and streaming to users who may see the
product. Uploaded files are never served from a public URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from . import services
from .models import Product, ProductPhoto


class PhotoUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        product = get_object_or_404(Product.objects.for_user(request.user, "change"), pk=pk)
        upload = request.FILES.get("image")
        try:
            if upload is None:
                raise ValidationError({"image": _("Choose a photo to upload.")})
            services.add_photo(request.user, product, upload, request.POST.get("caption", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        else:
            messages.success(request, _("Photo added."))
        return redirect(product.get_absolute_url())


class PhotoDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk, photo_id):
        product = get_object_or_404(Product.objects.for_user(request.user, "change"), pk=pk)
        try:
            services.remove_photo(request.user, product, photo_id)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Photo removed."))
        return redirect(product.get_absolute_url())


class PhotoFileView(LoginRequiredMixin, View):
    """Streams a photo (or its thumbnail) of a product the user may see."""

    def get(self, request, pk, photo_id, size="full"):
        product = get_object_or_404(Product.objects.for_user(request.user, "view"), pk=pk)
        photo = get_object_or_404(ProductPhoto, product=product, pk=photo_id)
        field = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
        try:
            handle = field.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response
