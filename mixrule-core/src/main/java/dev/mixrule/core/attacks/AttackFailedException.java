package dev.mixrule.core.attacks;

/** An attack could not run on a model (e.g. it cannot differentiate it); names the attack and the cause. */
public final class AttackFailedException extends RuntimeException {
    private final String attack;

    public AttackFailedException(String attack, Throwable cause) {
        super("attack '" + attack + "' failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        this.attack = attack;
    }

    public String attack() {
        return attack;
    }
}
