"""Train a small U-Net on axial MRI slices with a Dice loss (Keras / TensorFlow 2).

Images and masks are float32 arrays of shape (B, H, W, 1): channels_last, the Keras default.
The masks are binary (1 = structure, 0 = background).

This is the kind of training script SegLens is meant to catch a mistake in: the Dice coefficient below sums
with axis=-1, which on (B, H, W, 1) tensors reduces only the channel axis, so it computes one Dice per pixel
instead of one per image. Open it in VS Code with SegLens installed to see the diagnostics.
"""

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras import layers

IMAGE_SHAPE = (224, 192, 1)
BATCH_SIZE = 8
EPOCHS = 40


def dice_coef(y_true, y_pred, smooth=1):
    intersection = K.sum(y_true * y_pred, axis=-1)
    return (2.0 * intersection + smooth) / (K.sum(y_true, -1) + K.sum(y_pred, -1) + smooth)


def dice_loss(y_true, y_pred):
    return 1 - dice_coef(y_true, y_pred)


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


def build_unet(input_shape=IMAGE_SHAPE, base_filters=8, depth=4):
    inputs = keras.Input(shape=input_shape)
    skips = []
    x = inputs
    for level in range(depth - 1):
        x = conv_block(x, base_filters * 2**level)
        skips.append(x)
        x = layers.MaxPooling2D(2)(x)
    x = conv_block(x, base_filters * 2 ** (depth - 1))
    for level in reversed(range(depth - 1)):
        x = layers.Conv2DTranspose(base_filters * 2**level, 2, strides=2, padding="same")(x)
        x = layers.Concatenate()([x, skips[level]])
        x = conv_block(x, base_filters * 2**level)
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="unet")


def load_split(prefix):
    images = np.load(f"{prefix}_images.npy").astype("float32") / 255.0
    masks = (np.load(f"{prefix}_masks.npy") > 0).astype("float32")
    return images.reshape((-1,) + IMAGE_SHAPE), masks.reshape((-1,) + IMAGE_SHAPE)


def main():
    tf.random.set_seed(0)
    x_train, y_train = load_split("train")
    x_val, y_val = load_split("val")

    model = build_unet()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=dice_loss,
        metrics=[dice_coef, "binary_accuracy"],
    )
    model.fit(
        x_train,
        y_train,
        batch_size=BATCH_SIZE,
        epochs=EPOCHS,
        validation_data=(x_val, y_val),
        callbacks=[keras.callbacks.ModelCheckpoint("unet_dice.keras", save_best_only=True)],
    )


if __name__ == "__main__":
    main()
